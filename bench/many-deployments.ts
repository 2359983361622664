/** A valid configuration with many deployments, to see how synthesis time grows with their number. */
import { writeFileSync } from "fs";

/** Regions where UID2 runs and confidential pods on virtual nodes are offered (facts.md). */
const LOCATIONS = ["eastus", "eastus2", "westus", "westus2", "southcentralus", "centralindia", "japaneast", "southeastasia"];

/** Writes `count` deployments d01, d02, ... alternating integ and prod, built-in defaults otherwise. */
export function writeManyDeploymentsConfig(file: string, count: number): void {
  const deployments = Array.from({ length: count }, (_, i) => ({
    name: `d${String(i + 1).padStart(2, "0")}`,
    environment: i % 2 === 0 ? "integ" : "prod",
    location: LOCATIONS[i % LOCATIONS.length],
  }));
  writeFileSync(file, `${JSON.stringify({ deployments }, null, 2)}\n`);
}
