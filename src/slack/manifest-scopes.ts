import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { errorMessage } from '../shared/errors.js';

/** src/slack and dist/slack both sit two levels below the package root, beside manifest.json. */
export const MANIFEST_PATH = fileURLToPath(new URL('../../manifest.json', import.meta.url));

const Manifest = z.object({ oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string().regex(/^[a-z]+(:[a-z.]+)*$/)).min(1) }) }) });

/**
 * The bot scopes "Add to Slack" asks for: manifest.json's, so that the app Slack knows and the install link never
 * disagree. A missing or malformed manifest stops start-up with one line.
 */
export function manifestBotScopes(path = MANIFEST_PATH): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`manifest.json could not be read for the install scopes (${errorMessage(err)})`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) throw new ConfigError('manifest.json must list the bot scopes under oauth_config.scopes.bot');
  return parsed.data.oauth_config.scopes.bot;
}
