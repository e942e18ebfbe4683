// Building elements: every page renders its rows and tiles with these.

/** A new `tag` element with an optional class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An <option> of a picker. */
export function option(value, label, selected = false) {
  const o = el('option', null, label);
  o.value = value;
  o.selected = selected;
  return o;
}
