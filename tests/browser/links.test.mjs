// Gate: every internal link, script, stylesheet, image, form action and CSS url()
// resolves to a file in the output -- for the root build and for the build made
// at a sub-path base URL (where internal links must stay under the sub-path).
// No browser: a crawl of the output folder (lib/links.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crawlLinks } from './lib/links.mjs';
import { siteDir, siteBase, subpathSite, report } from './lib/site.mjs';

test('links: every internal reference resolves (root build)', { timeout: 300_000 }, async () => {
  const { baseUrl, prefix } = siteBase();
  const { problems, checked, files } = await crawlLinks(siteDir(), { prefix, baseUrl });
  console.log(`links (root build, base ${baseUrl || '/'}): ${checked} internal references checked in ${files} files`);
  assert.equal(problems.length, 0, report('broken links (root build)', problems, 100));
});

const sub = subpathSite();
test(
  'links: every internal reference resolves (sub-path build)',
  { timeout: 300_000, skip: sub ? false : 'AIDMAP_SUBPATH_SITE not set: no sub-path build to crawl' },
  async () => {
    const { problems, checked, files } = await crawlLinks(sub.dir, { prefix: sub.prefix, baseUrl: sub.baseUrl });
    console.log(`links (sub-path build at ${sub.baseUrl}): ${checked} internal references checked in ${files} files`);
    assert.equal(problems.length, 0, report(`broken links (sub-path build at ${sub.prefix})`, problems, 100));
  },
);
