/**
 * Where a Helm chart repository may be: HTTPS, so that neither the chart Terraform installs nor
 * the index `npm run versions` reads can be changed on the way. Plain HTTP only to this machine
 * itself (a local mirror, or a test server), where there is no network path to tamper with.
 */

const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "[::1]", "localhost"];

/** What is wrong with `given` as a chart repository address, or undefined when it is acceptable. */
export function chartRepositoryUrlProblem(given: string): string | undefined {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return "is not a URL";
  }
  if (url.username !== "" || url.password !== "") {
    return "must not hold a user name or password: it would be written into the synthesized JSON, the Terraform state and every log that shows the URL; give Helm's repository credentials outside the configuration";
  }
  if (url.protocol === "https:" && url.hostname !== "") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.includes(url.hostname)) return undefined;
  return "must be an https:// URL of a Helm chart repository (http:// only for this machine: 127.0.0.1, [::1] or localhost)";
}

/**
 * The URL as it may be shown: any user name and password replaced by `***`. Text that is not a
 * URL is shown as is, less anything up to an `@` (where credentials would sit).
 */
export function redactedUrl(given: string): string {
  try {
    const url = new URL(given);
    if (url.username === "" && url.password === "") return given;
    url.username = "***";
    url.password = "";
    return url.toString();
  } catch {
    return given.includes("@") ? `***@${given.slice(given.lastIndexOf("@") + 1)}` : given;
  }
}
