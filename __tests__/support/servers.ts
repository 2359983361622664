/**
 * Servers on 127.0.0.1 for the health check tests: well-behaved HTTP servers, and raw TCP
 * servers that misbehave the ways a broken load balancer, proxy or pod can.
 * `closeAllServers()` (in afterEach / afterAll) stops every server started.
 */
import * as http from "http";
import * as net from "net";
import type { AddressInfo } from "net";

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Connections accepted (raw servers) or paths requested (HTTP servers), in order. */
  readonly requests: string[];
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const running: { server: net.Server; sockets: Set<net.Socket> }[] = [];

/** Destroys open sockets first: a server that never answered keeps them open, and close() waits. */
export async function closeAllServers(): Promise<void> {
  for (const { server, sockets } of running.splice(0)) {
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function listen(server: net.Server, requests: string[]): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  running.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/ops/healthcheck`, port, requests };
}

export function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    handler(request, response);
  });
  return listen(server, requests);
}

export function answer(status: number, body: string): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(body);
  };
}

/** Answers with each handler in turn, repeating the last one. */
export function inTurn(...handlers: Handler[]): Handler {
  let count = 0;
  return (request, response) => handlers[Math.min(count++, handlers.length - 1)](request, response);
}

/** A port nothing listens on: bound by the system, then released. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How a raw server treats each connection. */
export type Misbehaviour =
  /** Accepts, then closes at once (FIN) without reading or answering. */
  | "close"
  /** Reads the request, then resets the connection (RST). */
  | "reset"
  /** Reads the request, then ends its write side (FIN) and keeps reading: a half-close. */
  | "half-close"
  /** Sends the status line, headers and one byte of a two-byte body, then nothing. */
  | "stall-mid-body"
  /** Sends the status line, then one more header byte every 100 ms: the headers never end. */
  | "slow-headers"
  /** Reads the request and never sends anything. */
  | "never-answer";

const TRICKLE_MS = 100;

/**
 * The servers that send something start as soon as the connection is accepted, without
 * waiting for the request: on a busy machine that leaves the client's timer all the time there
 * is for the bytes to arrive, so the outcome does not depend on how fast this process reacts.
 */
function misbehave(socket: net.Socket, how: Misbehaviour): void {
  // A client that gives up resets the connection; that is expected, not a test failure.
  socket.on("error", () => undefined);
  switch (how) {
    case "close":
      socket.end();
      return;
    case "reset":
      socket.once("data", () => socket.resetAndDestroy());
      return;
    case "half-close":
      socket.once("data", () => socket.end());
      return;
    case "stall-mid-body":
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nO");
      return;
    case "slow-headers": {
      socket.write("HTTP/1.1 200 OK\r\nx-slow: ");
      const trickle = setInterval(() => socket.write("x"), TRICKLE_MS);
      socket.on("close", () => clearInterval(trickle));
      return;
    }
    case "never-answer":
      return;
  }
}

export function startMisbehavingServer(how: Misbehaviour): Promise<TestServer> {
  const requests: string[] = [];
  const server = net.createServer({ allowHalfOpen: how === "half-close" }, (socket) => {
    requests.push(how);
    misbehave(socket, how);
  });
  return listen(server, requests);
}
