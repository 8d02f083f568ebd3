/**
 * The pages a browser sees around "Add to Slack" (GET /slack/oauth_redirect): what was installed and what to do next,
 * or why nothing was. Pure: text in, HTML out, every value escaped.
 */

export interface HtmlPage {
  status: number;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d1c1d}code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

export interface InstalledInto {
  /** The workspace's name (for an org-wide install, the organisation's), as Slack gave it. */
  name: string | null;
  teamId: string | null;
  isEnterpriseInstall: boolean;
}

export function installedPage(i: InstalledInto): HtmlPage {
  const name = escapeHtml(i.name ?? (i.teamId ? `workspace ${i.teamId}` : 'your organisation'));
  const where = i.isEnterpriseInstall
    ? `<p>aipath is installed in the <strong>${name}</strong> organisation. An org admin adds it to workspaces from the organisation's app management page; it answers in each of them from then on.</p>`
    : `<p>aipath is installed in <strong>${name}</strong>.</p>`;
  const open = i.teamId && !i.isEnterpriseInstall ? `<p><a href="https://app.slack.com/client/${escapeHtml(i.teamId)}">Open ${name} in Slack</a></p>` : '';
  return {
    status: 200,
    html: page(
      'aipath is installed',
      `${where}
<p>What to do next, in Slack:</p>
<ol>
<li>Invite <code>@aipath</code> to your team's channel and run <code>/aipath subscribe</code> there (workspace admins) for a daily exam tip and quiz and a Monday team post.</li>
<li>Everyone picks a track with <code>/aipath start &lt;track&gt;</code> (<code>/aipath tracks</code> lists them), for a weekly milestone nudge by DM.</li>
<li><code>/aipath help</code> shows every command.</li>
</ol>
${open}`,
    ),
  };
}

/** Why an install did not happen; each says what to do about it. */
export type InstallFailure =
  | { kind: 'denied' }
  | { kind: 'slack-error'; error: string }
  | { kind: 'missing-code' }
  | { kind: 'missing-state' }
  | { kind: 'other-browser' }
  | { kind: 'forged' }
  | { kind: 'expired' }
  | { kind: 'reused' }
  | { kind: 'exchange-refused'; error: string }
  | { kind: 'slack-unreachable' }
  | { kind: 'not-saved' };

const START_LINK = '<a href="/slack/install">Start the install again</a>.';
const START_AGAIN = `<p>${START_LINK}</p>`;

export function installFailedPage(f: InstallFailure): HtmlPage {
  const [status, what, more] = failureText(f);
  return { status, html: page('aipath was not installed', `<p>${what}</p>\n<p>Nothing was stored.</p>\n${more}`) };
}

function failureText(f: InstallFailure): [number, string, string] {
  switch (f.kind) {
    case 'denied':
      return [
        403,
        'The install was cancelled on Slack’s page, so aipath was not added to the workspace.',
        `<p>Changed your mind? <a href="/slack/install">Add aipath to Slack</a>.</p>`,
      ];
    case 'slack-error':
      return [400, `Slack ended the install with an error (<code>${escapeHtml(f.error)}</code>).`, START_AGAIN];
    case 'missing-code':
      return [400, 'This page needs the code Slack adds when it sends you back after you approve the install, and there was none.', START_AGAIN];
    case 'missing-state':
      return [400, 'This link does not come from an install started here (it has no state).', START_AGAIN];
    case 'other-browser':
      return [400, 'This install was started in another browser (or its cookie was blocked or has expired), so it cannot be finished here.', START_AGAIN];
    case 'forged':
      return [400, 'This install link was not issued by aipath.', START_AGAIN];
    case 'expired':
      return [400, 'This install link has expired: an install must be finished within 10 minutes of starting it.', START_AGAIN];
    case 'reused':
      return [
        400,
        'This install link was already used. Each link installs once; if the install went through, aipath is already in your workspace.',
        START_AGAIN,
      ];
    case 'exchange-refused':
      return [400, `Slack did not accept the install code (<code>${escapeHtml(f.error)}</code>).`, START_AGAIN];
    case 'slack-unreachable':
      return [502, 'Slack could not be reached to finish the install.', `<p>Please try again in a few minutes. ${START_LINK}</p>`];
    case 'not-saved':
      return [500, 'aipath could not save the installation on its side.', `<p>Please try again in a few minutes. ${START_LINK}</p>`];
  }
}
