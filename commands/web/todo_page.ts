/**
 * The HTML page, script and style of `kit web todo`: plain DOM code against the REST API,
 * served from files of their own so the page runs under `Content-Security-Policy:
 * default-src 'self'`.
 *
 * @module
 */

/** The page. */
export const TODO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kit web todo</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<main>
<h1>Todos</h1>
<p class="hint">Changes need the API token that <code>kit web todo</code> printed.</p>
<label>Token <input id="token" type="password" autocomplete="off"></label>
<form id="new">
<input id="title" placeholder="What needs doing?" maxlength="200">
<button id="add" type="submit">Add</button>
</form>
<p id="error" role="alert"></p>
<ul id="todos"></ul>
<p class="hint">API: <a href="/openapi.json">/openapi.json</a></p>
</main>
</body>
</html>
`;

/** The page's style. */
export const TODO_CSS =
  `body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 34rem; padding: 0 1rem; }
label, form { display: flex; gap: .5rem; margin: .5rem 0; align-items: center; }
input:not([type=checkbox]) { flex: 1; padding: .3rem; }
ul { list-style: none; padding: 0; }
li { display: flex; gap: .5rem; align-items: center; padding: .3rem 0; border-bottom: 1px solid #ddd; }
li .title { flex: 1; }
li.done .title { text-decoration: line-through; color: #777; }
#error { color: #b00020; min-height: 1.4em; }
.hint { color: #666; font-size: .9rem; }
`;

/** The page's script. */
export const TODO_JS = `const $ = (id) => document.getElementById(id);
const token = $("token");
token.value = localStorage.getItem("kit-todo-token") ?? "";
token.addEventListener("change", () => localStorage.setItem("kit-todo-token", token.value));

async function api(method, path, body) {
  const headers = { authorization: "Bearer " + token.value };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch("/api/todos" + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ error: response.statusText }));
    $("error").textContent = problem.error;
    throw new Error(problem.error);
  }
  $("error").textContent = "";
  return response.status === 204 ? null : response.json();
}

function render(todos) {
  const list = $("todos");
  list.replaceChildren(...todos.map((todo) => {
    const item = document.createElement("li");
    item.dataset.id = todo.id;
    item.className = todo.done ? "done" : "";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = todo.done;
    box.setAttribute("aria-label", "done");
    box.addEventListener("change", () => api("PATCH", "/" + todo.id, { done: box.checked }).then(refresh, refresh));
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = todo.title;
    const remove = document.createElement("button");
    remove.textContent = "Delete";
    remove.className = "delete";
    remove.addEventListener("click", () => api("DELETE", "/" + todo.id).then(refresh, () => {}));
    item.append(box, title, remove);
    return item;
  }));
  document.body.dataset.count = String(todos.length);
}

async function refresh() {
  render(await api("GET", ""));
}

$("new").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "", { title: $("title").value });
    $("title").value = "";
    await refresh();
  } catch { /* shown in #error */ }
});

refresh();
`;
