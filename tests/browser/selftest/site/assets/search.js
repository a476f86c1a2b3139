// Progressive enhancement: tell the user how many groups the offline index holds.
document.addEventListener('DOMContentLoaded', () => {
  const status = document.getElementById('search-status');
  if (!status) return;
  const base = new URL('../', document.currentScript?.src || document.querySelector('script[src$="search.js"]').src);
  fetch(new URL('search-index.json', base))
    .then((r) => r.json())
    .then((idx) => { status.textContent = `${idx.groups.length} groups listed.`; });
});
