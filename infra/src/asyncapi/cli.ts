import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../profile';
import { ASYNCAPI_FILE, currentAsyncApiDocument } from './document-file';
import { renderAsyncApiHtml } from './render-html';
import { validateAsyncApiDocument } from './validate-document';

const HTML_FILE = join(REPO_ROOT, '.passport', 'docs', 'index.html');

async function main(command: string | undefined): Promise<number> {
  const document = currentAsyncApiDocument();
  const problems = await validateAsyncApiDocument(document);
  if (problems.length > 0) {
    for (const p of problems) console.error(`asyncapi: ${p.path}: ${p.message}`);
    return 1;
  }
  if (command === 'render') {
    mkdirSync(join(REPO_ROOT, '.passport', 'docs'), { recursive: true });
    writeFileSync(HTML_FILE, renderAsyncApiHtml(document as never));
    console.log(`Rendered ${HTML_FILE}; open it in a browser.`);
    return 0;
  }
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  writeFileSync(ASYNCAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`Wrote ${ASYNCAPI_FILE} (valid AsyncAPI ${document.asyncapi}).`);
  return 0;
}

main(process.argv[2]).then((code) => process.exit(code));
