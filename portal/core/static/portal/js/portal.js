// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.querySelector("[data-nav]");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("site-nav--open", !open);
  });
});

// Autocomplete for search boxes marked with data-autocomplete="<suggest url>": a listbox of
// links under the input, driven by the keyboard or the pointer; the form still works without it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-autocomplete]").forEach((input, index) => {
    const list = document.createElement("ul");
    list.id = `autocomplete-${index}`;
    list.className = "autocomplete";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let timer = null;
    let active = -1;

    const close = () => {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const highlight = (next) => {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (next + options.length) % options.length;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", options[active].id);
    };
    const render = (suggestions) => {
      list.replaceChildren(
        ...suggestions.map((suggestion, i) => {
          const item = document.createElement("li");
          item.id = `${list.id}-${i}`;
          item.setAttribute("role", "option");
          const link = document.createElement("a");
          link.href = suggestion.url;
          link.textContent = suggestion.title;
          const type = document.createElement("span");
          type.className = "autocomplete__type";
          type.textContent = suggestion.type_label;
          link.append(" ", type);
          item.append(link);
          return item;
        }),
      );
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
      active = -1;
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2) return close();
      timer = setTimeout(async () => {
        const url = `${input.dataset.autocomplete}?q=${encodeURIComponent(text)}`;
        try {
          const response = await fetch(url, { headers: { Accept: "application/json" } });
          if (response.ok) render((await response.json()).suggestions);
        } catch {
          close();
        }
      }, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("[role=option] a")[active].href;
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  });
});
