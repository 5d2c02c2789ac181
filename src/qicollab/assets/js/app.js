// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Switch collaborative as soon as one is chosen; the button remains for keyboard users.
  const select = document.getElementById("switch-collaborative");
  if (select) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});

// htmx sends Django's CSRF token with every request it makes.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  const token = input ? input.value : match ? decodeURIComponent(match[1]) : "";
  if (token) event.detail.headers["X-CSRFToken"] = token;
});
