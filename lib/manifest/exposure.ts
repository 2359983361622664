/**
 * Who can reach the operator (`operator.exposure`), by changing the release's LoadBalancer
 * Service and nothing else: the pods' spec is what the confidential-computing policy covers, so
 * it stays exactly as released.
 */
import type { Exposure } from "../config/types";
import { located } from "./errors";
import { isJsonObject, type JsonObject, type ManifestDocument } from "./types";

/** Azure's annotation that gives a LoadBalancer Service a private address in the cluster's subnet. */
export const INTERNAL_LOAD_BALANCER_ANNOTATION = "service.beta.kubernetes.io/azure-load-balancer-internal";

export interface ServiceExposure {
  readonly exposure: Exposure;
  /** The CIDRs allowed with "restricted". */
  readonly allowedSourceRanges: readonly string[];
}

/**
 * The Service as the exposure needs it: "public" leaves it as released (the guide's public load
 * balancer); "restricted" sets `spec.loadBalancerSourceRanges`, which Azure turns into the load
 * balancer's network security rules; "internal" sets the internal-load-balancer annotation.
 */
export function exposeService(service: JsonObject, { exposure, allowedSourceRanges }: ServiceExposure): JsonObject {
  switch (exposure) {
    case "public":
      return service;
    case "restricted": {
      const spec = isJsonObject(service.spec) ? service.spec : {};
      return { ...service, spec: { ...spec, loadBalancerSourceRanges: [...allowedSourceRanges] } };
    }
    case "internal": {
      const metadata = isJsonObject(service.metadata) ? service.metadata : {};
      const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {};
      return { ...service, metadata: { ...metadata, annotations: { ...annotations, [INTERNAL_LOAD_BALANCER_ANNOTATION]: "true" } } };
    }
  }
}

/** Annotations with which Azure's cloud provider opens a LoadBalancer Service to more sources. */
const AZURE_SOURCE_ANNOTATIONS = ["service.beta.kubernetes.io/azure-allowed-service-tags", "service.beta.kubernetes.io/azure-allowed-ip-ranges"];

/** Service types that put the operator on every node's address, or send its name elsewhere. */
const REFUSED_SERVICE_TYPES: Readonly<Record<string, string>> = {
  NodePort: "opens a port on every node's address, beside the load balancer that operator.exposure controls",
  ExternalName: "makes the Service a DNS alias for another host, so the operator's name would lead away from the operator",
};

/**
 * What in a release's Services would change who can reach the operator behind the chosen
 * `operator.exposure`. Under "restricted" and "internal" the app alone decides the Service's
 * sources and address; in every mode, `externalIPs` and the NodePort and ExternalName types
 * route traffic around the load balancer.
 */
export function serviceReachabilityProblems(file: string, documents: readonly ManifestDocument[], exposure: Exposure): string[] {
  const problems: string[] = [];
  for (const d of documents) {
    if (d.apiVersion !== "v1" || d.kind !== "Service") continue;
    const at = (what: string) => located(file, d.line, `Service ${d.name} (document ${d.index}) ${what}`);
    const spec = isJsonObject(d.body.spec) ? d.body.spec : {};
    const metadata = isJsonObject(d.body.metadata) ? d.body.metadata : {};
    const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {};
    if (spec.externalIPs !== undefined) problems.push(at("sets spec.externalIPs, which routes outside traffic to the operator around the load balancer and operator.exposure"));
    if (typeof spec.type === "string" && Object.hasOwn(REFUSED_SERVICE_TYPES, spec.type)) problems.push(at(`is of type ${spec.type}, which ${REFUSED_SERVICE_TYPES[spec.type]}`));
    if (exposure === "public") continue;
    if (spec.loadBalancerSourceRanges !== undefined) problems.push(at(`sets spec.loadBalancerSourceRanges; with operator.exposure "${exposure}" the app decides who may connect (operator.allowedSourceRanges), so the release may not`));
    for (const annotation of AZURE_SOURCE_ANNOTATIONS.filter((a) => Object.hasOwn(annotations, a))) {
      problems.push(at(`carries the annotation ${annotation}, which admits more sources than operator.exposure "${exposure}" allows`));
    }
    if (exposure === "internal" && Object.hasOwn(annotations, INTERNAL_LOAD_BALANCER_ANNOTATION) && annotations[INTERNAL_LOAD_BALANCER_ANNOTATION] !== "true") {
      problems.push(at(`sets ${INTERNAL_LOAD_BALANCER_ANNOTATION} to ${JSON.stringify(annotations[INTERNAL_LOAD_BALANCER_ANNOTATION])}; with operator.exposure "internal" the app makes the load balancer internal`));
    }
  }
  return problems;
}
