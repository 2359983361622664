/**
 * What an unhealthy result most likely means for a UID2 Private Operator on AKS, and the
 * commands that show which of the causes it is. The causes come from the operator's documented
 * behaviour (reference/facts.md, "Operator behaviour worth knowing") and the guide's setup.
 */
import { CONFIDENTIAL_POD_REGIONS } from "../config/regions";
import { describeOutcome, type Outcome } from "./outcome";

/** What is known about the deployment; empty when the URL was given with --url. */
export interface AdviceContext {
  readonly namespace?: string;
  readonly resourceGroup?: string;
  readonly cluster?: string;
  /** `integ` or `prod`: names the UID2 hosts the operator must reach. */
  readonly environment?: string;
}

const SELECTOR = "-l app.kubernetes.io/name=operator";

export function failureAdvice(last: Outcome, context: AdviceContext = {}): string[] {
  return [
    `last result: ${describeOutcome(last)}`,
    "what it likely means:",
    ...meanings(last, context).map((text) => `  - ${text}`),
    "next, look at the operator's pods and Service:",
    ...nextCommands(context).map((command) => `  ${command}`),
  ];
}

function meanings(last: Outcome, context: AdviceContext): string[] {
  switch (last.kind) {
    case "answer":
      return answerMeanings(last.status);
    case "no-answer":
      if (last.stage === "body") return cutShort(last.status);
      return [
        last.stage === "connect"
          ? "no connection: the load balancer has no ready operator pod to send the request to yet, or a firewall or network security group drops port 80."
          : "the connection was accepted but nothing answered: the operator is starting or overloaded, or something else holds the address.",
        ...notRunning(context),
      ];
    case "closed":
      return last.status === undefined ? networkMeanings("ECONNRESET", context) : cutShort(last.status);
    case "network":
      return networkMeanings(last.code, context);
  }
}

function answerMeanings(status: number): string[] {
  if (status === 200) {
    return [
      "a server answers 200 but not with the body OK, which the operator always sends: something else answers at this address. Check that the host is the EXTERNAL-IP of operator-svc and the path is /ops/healthcheck.",
    ];
  }
  if (status === 502 || status === 503 || status === 504) {
    return [
      `HTTP ${status}: the operator is not ready yet. Right after a deployment the pods may still be starting; if it stays this way, the operator cannot attest or cannot reach the UID2 services.`,
      ...crashCauses(),
      ...regionAndQuota(),
    ];
  }
  if (status === 401 || status === 403) {
    return [
      `HTTP ${status} from the health check itself: the operator's /ops/healthcheck needs no credentials, so a proxy or another service answers at this address. (A 401 that the UID2 core service returns to the operator is different: it shows in the operator's log, and the operator exits.)`,
    ];
  }
  if (status >= 300 && status < 400) {
    return [`a redirect (HTTP ${status}): the operator never redirects its health check, so something else answers at this address.`];
  }
  if (status === 404) {
    return ["HTTP 404: a web server answers but has no /ops/healthcheck: check the path of the URL, or whether another service holds this IP."];
  }
  return [`HTTP ${status}: the operator, or whatever answers at this address, reports an error; the operator's log says more.`, ...crashCauses()];
}

function networkMeanings(code: string | undefined, context: AdviceContext): string[] {
  switch (code) {
    case "ECONNREFUSED":
    case "ECONNRESET":
    case "EPIPE":
      return ["the address takes no requests: the operator pods are not ready yet, or not running.", ...notRunning(context)];
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return ["the host name does not resolve: check the URL (the healthcheck_url output holds the Service's public IP)."];
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ETIMEDOUT":
      return ["this machine cannot reach the address: check the IP, and that this network allows outbound HTTP to it.", ...notRunning(context)];
    default:
      return [
        `the request failed${code ? ` (${code})` : ""}. The operator's Service serves plain HTTP on port 80: an https:// URL or another port does not reach it.`,
      ];
  }
}

/** An answer that began and did not finish. */
function cutShort(status: number | undefined): string[] {
  return [
    `an answer began (HTTP ${status}) but did not finish: the operator's answer is two bytes long, so a proxy or another service at this address, or an unreliable network path, cut it short.`,
  ];
}

/** The causes behind "nothing ready to answer", most common first. */
function notRunning(context: AdviceContext): string[] {
  return [...crashCauses(), ...regionAndQuota(), ...outboundHosts(context)];
}

function crashCauses(): string[] {
  return [
    "if the pods restart or crash: when the UID2 core service answers the operator's attestation with HTTP 401 (operator key wrong or revoked), the operator terminates at once, so the pods keep restarting; check the key stored in Key Vault for this environment. Other attestation failures let it run for up to 12 hours before it terminates. The uid2-operator container's log says which.",
  ];
}

function regionAndQuota(): string[] {
  return [
    `if the pods stay Pending or never start: the confidential pods on virtual nodes could not start. They run only in ${[...CONFIDENTIAL_POD_REGIONS].join(", ")}, and need Azure Container Instances quota in the region; the Events of \`kubectl describe pod\` give the reason.`,
  ];
}

function outboundHosts(context: AdviceContext): string[] {
  if (context.environment !== "integ" && context.environment !== "prod") return [];
  return [
    `if outbound traffic is restricted: the operator must reach core-${context.environment}.uidapi.com and optout-${context.environment}.uidapi.com (and UID2's S3 stores) on HTTPS 443 through the NAT gateway.`,
  ];
}

function nextCommands(context: AdviceContext): string[] {
  const namespace = context.namespace ? ` --namespace ${context.namespace}` : "";
  const commands: string[] = [];
  if (context.resourceGroup && context.cluster) {
    commands.push(`az aks get-credentials --resource-group ${context.resourceGroup} --name ${context.cluster}`);
  }
  commands.push(
    `kubectl get pods ${SELECTOR}${namespace}`,
    `kubectl describe pod ${SELECTOR}${namespace}`,
    `kubectl logs ${SELECTOR} -c uid2-operator --tail=200${namespace}`,
    `kubectl get svc operator-svc${namespace}`,
  );
  if (!context.namespace) commands.push("(add --namespace <namespace> if the operator is not in your current namespace)");
  return commands;
}
