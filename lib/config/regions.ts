/**
 * Azure public-cloud region names, and the two subsets that decide where a UID2 Private Operator
 * can run (facts.md, "Where it may run").
 */

/** UID2 does not support Private Operators for AKS in Europe or China (guide, "Create Resource Group"). */
export const UNSUPPORTED_REGIONS: ReadonlySet<string> = new Set([
  "northeurope", "westeurope", "francecentral", "francesouth", "germanywestcentral", "germanynorth",
  "italynorth", "norwayeast", "norwaywest", "polandcentral", "spaincentral", "swedencentral",
  "swedensouth", "switzerlandnorth", "switzerlandwest", "uksouth", "ukwest", "austriaeast",
  "belgiumcentral", "denmarkeast",
  "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3",
]);

/** Regions where confidential pods on virtual nodes can start (Microsoft's list, less Europe). */
export const CONFIDENTIAL_POD_REGIONS: ReadonlySet<string> = new Set([
  "centralindia", "eastasia", "eastus", "eastus2", "japaneast", "southcentralus", "southeastasia",
  "uaenorth", "westus", "westus2",
]);

/** Every public Azure region name (`az account list-locations --query "[].name"`). */
export const AZURE_REGIONS: ReadonlySet<string> = new Set([
  ...UNSUPPORTED_REGIONS,
  ...CONFIDENTIAL_POD_REGIONS,
  "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "brazilsouth",
  "brazilsoutheast", "canadacentral", "canadaeast", "centralus", "chilecentral", "indonesiacentral",
  "israelcentral", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth",
  "malaysiawest", "mexicocentral", "newzealandnorth", "northcentralus", "qatarcentral",
  "southafricanorth", "southafricawest", "southindia", "uaecentral", "westcentralus", "westindia",
  "westus3",
]);
