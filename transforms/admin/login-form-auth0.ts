/**
 * admin/login-form-auth0: the username/password form becomes one "Sign in with Auth0" button.
 * The form lives in LoginForm.tsx on react-admin 5 admins (Login.tsx keeps its layout) and
 * inline in Login.tsx on react-admin 3 admins; only the form and the code that fed it change,
 * the rest of the page stays.
 */
import type {
  API,
  Collection,
  FileInfo,
  JSCodeshift,
  Transform,
} from "jscodeshift";
import type { RuleContext } from "../../src/plan/rule";
import { removeUnusedImports } from "../lib/imports";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";

const SIGN_IN = `const signIn = () => {
  login({}).catch(() => notify("Sign-in with Auth0 failed"));
};`;

const transform: Transform = (file: FileInfo, api: API, options) => {
  const context = options.context as RuleContext;
  const formFile = context.profile.admin?.loginForm
    ? "src/LoginForm.tsx"
    : "src/Login.tsx";
  if (!file.path.endsWith(formFile)) return undefined; // the other login file keeps its layout
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);

  const forms = root.find(j.JSXElement, {
    openingElement: { name: { name: "form" } },
  });
  if (forms.size() === 0) {
    if (root.find(j.Identifier, { name: "signIn" }).size() > 0)
      return undefined; // converted already
    return refuse(
      "there is no login <form> to turn into the Auth0 sign-in",
      `restore the generated ${formFile}, or turn this rule off`,
    );
  }
  if (forms.size() > 1)
    return refuse(
      "there is more than one <form>",
      `keep the one generated login form in ${formFile}`,
    );
  const form = forms.get();
  const button = buttonFor(j, root, form.node.openingElement.attributes ?? []);
  j(form).replaceWith(button);

  // The state and the submit handler fed the form; signIn replaces them.
  const submit = root.find(j.VariableDeclarator, { id: { name: "submit" } });
  if (submit.size() !== 1)
    return refuse(
      "the form's `submit` handler was not found",
      `restore the generated ${formFile}`,
    );
  j(submit.get().parent).replaceWith(
    j(SIGN_IN).find(j.VariableDeclaration).get().node,
  );
  for (const name of ["username", "password"]) {
    root
      .find(j.VariableDeclarator, { id: { type: "ArrayPattern" } })
      .filter(
        (path) =>
          (path.node.id as { elements: Array<{ name?: string } | null> })
            .elements[0]?.name === name,
      )
      .forEach((path) => j(path.parent).remove());
  }
  if (
    root.find(j.Identifier, { name: "login" }).size() < 2 ||
    root.find(j.Identifier, { name: "notify" }).size() < 2
  ) {
    return refuse(
      "the component has no `login = useLogin()` and `notify = useNotify()`",
      `restore the generated ${formFile}`,
    );
  }
  removeUnusedImports(j, root);
  return root.toSource({ quote: "double", trailingComma: true });
};

/** The sign-in button, in a wrapper that keeps the form's class (and so the page's styles). */
function buttonFor(
  j: JSCodeshift,
  root: Collection,
  formAttributes: unknown[],
) {
  const className = (
    formAttributes as Array<{ type: string; name?: { name?: string } }>
  ).find((a) => a.type === "JSXAttribute" && a.name?.name === "className");
  const hasButton =
    root.find(j.ImportSpecifier, { imported: { name: "Button" } }).size() > 0;
  const button = hasButton
    ? `<Button type="button" variant="contained" color="primary" onClick={signIn}>Sign in with Auth0</Button>`
    : `<button type="button" onClick={signIn}>Sign in with Auth0</button>`;
  const element = j(`const x = <div>${button}</div>;`)
    .find(j.JSXElement)
    .get().node;
  if (className) element.openingElement.attributes = [className as never];
  return element;
}

export default transform;
