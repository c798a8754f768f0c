// The search of the static export (manage.py export_site): the site's own index, searched in
// the browser. Every word of the query must appear (accents and case do not count), as on the site.
const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

function render(entries, words) {
  const found = entries.filter((entry) => words.every((word) => entry.f.includes(word)));
  const section = document.createElement("section");
  section.className = "fr-mt-4w";
  section.setAttribute("aria-live", "polite");
  const heading = document.createElement("h2");
  heading.textContent = found.length
    ? `${found.length} résultat${found.length > 1 ? "s" : ""} pour « ${query} »`
    : `Aucun résultat pour « ${query} »`;
  section.append(heading);
  const list = document.createElement("ul");
  for (const entry of found.slice(0, 100)) {
    const item = document.createElement("li");
    item.className = "fr-mb-2w";
    const link = document.createElement("a");
    link.href = entry.u;
    link.textContent = entry.t;
    const kind = document.createElement("span");
    kind.className = "fr-badge fr-badge--sm fr-ml-1w";
    kind.textContent = entry.k;
    item.append(link, kind);
    if (entry.d) {
      const detail = document.createElement("p");
      detail.className = "fr-text--sm fr-mb-0";
      detail.textContent = entry.d;
      item.append(detail);
    }
    list.append(item);
  }
  section.append(list);
  document.querySelector("main form[role=search]").after(section);
}

if (query) {
  const input = document.getElementById("search-page-input");
  if (input) input.value = query;
  const words = fold(query).match(/[a-z0-9]+/g) || [];
  fetch("/recherche/index.json")
    .then((response) => response.json())
    .then((entries) => render(entries, words));
}
