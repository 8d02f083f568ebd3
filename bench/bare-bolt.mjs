// The baseline for bench/startup.ts and bench/ack.ts: a Bolt app in HTTP mode that only
// acknowledges /aipath, with the same /healthz route so both are measured the same way.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  logLevel: LogLevel.ERROR,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
  ],
});
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/aipath', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'ok' });
});
await receiver.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => receiver.stop().then(() => process.exit(0)));
