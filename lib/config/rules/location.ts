import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";
import { AZURE_REGIONS, CONFIDENTIAL_POD_REGIONS, UNSUPPORTED_REGIONS } from "../regions";

const CONFIDENTIAL_LIST = [...CONFIDENTIAL_POD_REGIONS].join(", ");

/** Guide, "Create Resource Group": not in Europe or China; confidential containers only in some regions. */
export function checkLocation(d: DeploymentConfig, report: DeploymentReporter): void {
  if (UNSUPPORTED_REGIONS.has(d.location)) {
    report.error("location", d.location, `is in Europe or China, where UID2 does not support a Private Operator on AKS; use one of: ${CONFIDENTIAL_LIST}`);
  } else if (!AZURE_REGIONS.has(d.location)) {
    report.error("location", d.location, `is not an Azure region name (lowercase, no spaces, as "az account list-locations" prints it); for example: ${CONFIDENTIAL_LIST}`);
  } else if (!CONFIDENTIAL_POD_REGIONS.has(d.location)) {
    report.warn("location", d.location, `is not a region where confidential pods on virtual nodes can start (${CONFIDENTIAL_LIST}); the operator pods would stay pending`);
  }
}
