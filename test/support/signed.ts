import { slackSignature } from '../../src/slack/signature.js';

export interface SignedRequestOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replace the signature (for forgery tests). */
  signature?: string;
  retryNum?: number;
}

/** The headers Slack signs a request with: timestamp and v0 signature of the raw body. */
export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(secret, timestamp, body) };
}

/** POSTs a body to the app the way Slack does: form or JSON, with a real v0 signature. */
export async function postSigned(url: string, body: string, contentType: string, o: SignedRequestOptions): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': contentType, ...signedHeaders(o.secret, body, o.timestamp) };
  if (o.signature !== undefined) headers['x-slack-signature'] = o.signature;
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body });
}

export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams({ command: '/aipath', text: '', token: 'unused', api_app_id: 'A0TEST', trigger_id: '1.2.3', ...fields }).toString();
}

export function actionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
