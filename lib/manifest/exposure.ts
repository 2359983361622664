/**
 * Who can reach the operator (`operator.exposure`), by changing the release's LoadBalancer
 * Service and nothing else: the pods' spec is what the confidential-computing policy covers, so
 * it stays exactly as released.
 */
import type { Exposure } from "../config/types";
import { isJsonObject, type JsonObject } from "./types";

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
