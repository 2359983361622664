/**
 * Terraform Cloud's API as `npm run tfc-key` uses it, on 127.0.0.1, over the files the stand-in
 * Terraform plays workspaces from (STAND_IN_TFC_DIR/<organization>/<workspace>.json): find a
 * workspace by name, list its variables, create or update one. Sensitive values are not kept,
 * only that the variable is set, as Terraform Cloud never shows them again; each request is
 * recorded (method, path, the variable's key) for the tests.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

export interface FakeTfc {
  /** `127.0.0.1:<port>`, as `backend.hostname`. */
  readonly host: string;
  /** The token it accepts. */
  readonly token: string;
  readonly requests: { method: string; path: string; key?: string; valueLength?: number }[];
  close(): Promise<void>;
}

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/vnd.api+json" });
  response.end(JSON.stringify(body));
};

/** Starts the stand-in API over `dir`. */
export async function startFakeTfc(dir: string, token = "stand-in user token"): Promise<FakeTfc> {
  const requests: FakeTfc["requests"] = [];
  const file = (id: string) => {
    const [organization, name] = Buffer.from(id.replace(/^ws-/, ""), "base64url").toString("utf8").split("/");
    return path.join(dir, organization, `${name}.json`);
  };
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const url = request.url ?? "";
      const payload = body ? JSON.parse(body) : undefined;
      const attributes = payload?.data?.attributes;
      requests.push({ method: request.method ?? "", path: url, ...(attributes ? { key: attributes.key, valueLength: String(attributes.value ?? "").length } : {}) });
      if (request.headers.authorization !== `Bearer ${token}`) return json(response, 401, { errors: [{ status: "401", title: "unauthorized" }] });
      let match = /^\/api\/v2\/organizations\/([^/]+)\/workspaces\/([^/]+)$/.exec(url);
      if (match && request.method === "GET") {
        const [organization, name] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
        if (!existsSync(path.join(dir, organization, `${name}.json`))) return json(response, 404, { errors: [{ status: "404", title: "not found" }] });
        return json(response, 200, { data: { id: `ws-${Buffer.from(`${organization}/${name}`).toString("base64url")}`, type: "workspaces", attributes: { name } } });
      }
      match = /^\/api\/v2\/workspaces\/(ws-[A-Za-z0-9_-]+)\/vars(?:\/(var-[A-Za-z0-9_]+))?$/.exec(url);
      if (!match || !existsSync(file(match[1]))) return json(response, 404, { errors: [{ status: "404", title: "not found" }] });
      const workspace = JSON.parse(readFileSync(file(match[1]), "utf8"));
      if (request.method === "GET" && !match[2]) {
        const data = Object.entries<{ category: string; sensitive: boolean }>(workspace.vars).map(([key, v]) => ({ id: `var-${key}`, type: "vars", attributes: { key, category: v.category, sensitive: v.sensitive, value: v.sensitive ? null : "" } }));
        return json(response, 200, { data });
      }
      if ((request.method === "POST" && !match[2]) || (request.method === "PATCH" && match[2])) {
        workspace.vars[attributes.key] = { category: attributes.category, sensitive: Boolean(attributes.sensitive), setBy: "api" };
        writeFileSync(file(match[1]), JSON.stringify(workspace, null, 2));
        return json(response, request.method === "POST" ? 201 : 200, { data: { id: `var-${attributes.key}`, type: "vars", attributes: { key: attributes.key } } });
      }
      return json(response, 405, { errors: [{ status: "405" }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
