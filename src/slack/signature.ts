import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, as `v0=<hex>`. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** The check Bolt's receivers make, kept beside the signer so tests can hold both to Slack's vector. */
export function isValidSlackSignature(signingSecret: string, timestamp: string, rawBody: string, signature: string, nowSeconds: number): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > 300) return false;
  const expected = Buffer.from(slackSignature(signingSecret, ts, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
