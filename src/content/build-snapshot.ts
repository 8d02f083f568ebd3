import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContentError } from './content.js';
import { parseContent } from './load.js';
import { DEFAULT_SNAPSHOT_FILE, renderSnapshot } from './snapshot.js';
import { CONTENT_DIR, hashContentSources, readContentSources } from './sources.js';

/**
 * Validates the YAML under `dir` as a start would and writes the snapshot a start then loads instead. Invalid
 * content throws ContentError and leaves no snapshot behind (an old one is removed), so a start reports the
 * problems from the YAML as before. Written to a temporary file first: a reader never sees half a snapshot.
 */
export function writeContentSnapshot(dir: string = CONTENT_DIR, file: string = DEFAULT_SNAPSHOT_FILE): { bytes: number; files: number } {
  const sources = readContentSources(dir);
  let text: string;
  try {
    const content = parseContent(sources);
    text = renderSnapshot(content, hashContentSources(sources));
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return { bytes: Buffer.byteLength(text), files: sources.length };
}

// `node dist/content/build-snapshot.js`, run by `npm run build` after tsc.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { bytes, files } = writeContentSnapshot();
    process.stdout.write(`content snapshot: ${relative(process.cwd(), DEFAULT_SNAPSHOT_FILE)} (${files} YAML files, ${(bytes / 1024).toFixed(0)} KiB)\n`);
  } catch (err) {
    process.stderr.write(err instanceof ContentError ? `aipath: ${err.message}\n` : `aipath: content snapshot: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(err instanceof ContentError ? 2 : 1);
  }
}
