/**
 * The cluster's Kubernetes version, checked where it is decided: at plan, against what AKS
 * offers in the deployment's region. AKS takes a minor version out of standard support about 12
 * months after its release, and then refuses to create clusters on it (`K8sVersionNotSupported`,
 * facts.md "The guide"), halfway through a deploy. The data sources below are read while the
 * cluster stack is planned (their arguments are known then), so the precondition that reads
 * them stops the plan before the cluster is created or changed.
 */
import { Construct } from "constructs";
import { Fn, Op } from "cdktf";
import { DataAzurermKubernetesServiceVersions } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-service-versions";
import { parseKubernetesVersion } from "../lib/versions/kubernetes-version";

export interface KubernetesVersionGuardProps {
  /** The deployment's name (config `name`), for the message. */
  readonly deployment: string;
  /** Azure region of the cluster, for the data sources (config `location`; may be read from another stack). */
  readonly location: string;
  /**
   * The same region as configured, for the message. Known at synthesis: a value read from another
   * stack's state is sensitive under the cloud backend (`tfe_outputs`), and Terraform then prints
   * "This check failed, but has an invalid error message" instead of the message.
   */
  readonly locationName: string;
  /** `major.minor` or `major.minor.patch`, validated (config `cluster.kubernetesVersion`). */
  readonly kubernetesVersion: string;
}

/** A `lifecycle.precondition` entry. */
export interface Precondition {
  readonly condition: unknown;
  readonly errorMessage: string;
}

export class KubernetesVersionGuard extends Construct {
  /** For the cluster's `lifecycle.precondition`. */
  readonly precondition: Precondition;

  constructor(scope: Construct, id: string, props: KubernetesVersionGuardProps) {
    super(scope, id);
    const configured = props.kubernetesVersion;
    const version = parseKubernetesVersion(configured);
    if (version === undefined) throw new Error(`cluster.kubernetesVersion "${configured}" is not a version (validation refuses it)`);

    // azurerm 4.55 lists every patch version the region offers (`1.36.2`, ...) and keeps those
    // that start with version_prefix, compared as plain text: "1.3" would also keep 1.30 to 1.39,
    // so the prefix ends with the minor's dot. Preview versions are not for production clusters.
    const ofMinor = new DataAzurermKubernetesServiceVersions(this, "configured-minor", {
      location: props.location,
      versionPrefix: `${version.minorText}.`,
      includePreview: false,
    });
    // Everything the region offers, for the message.
    const offered = new DataAzurermKubernetesServiceVersions(this, "offered", { location: props.location, includePreview: false });

    this.precondition = {
      // "major.minor" (the patch channel): any patch of that minor will do, AKS picks the newest.
      // "major.minor.patch": AKS creates exactly that patch, so it must be offered itself.
      // ">= 1", not "> 0": cdktf 0.21 renders a literal 0 right-hand operand as `undefined`.
      condition: version.patch === undefined ? Op.gte(Fn.lengthOf(ofMinor.versions), 1) : Fn.contains(ofMinor.versions, configured),
      errorMessage:
        `AKS does not offer Kubernetes ${configured} in ${props.locationName}, so the cluster cannot be created on it (K8sVersionNotSupported). ` +
        `Offered there (preview versions aside): ${Fn.join(", ", offered.versions)}; the latest is ${offered.latestVersion}. ` +
        // No quotation marks: cdktf's HCL renderer leaves them unescaped in a string that holds an expression.
        `Set cluster.kubernetesVersion of deployment ${props.deployment} to an offered version (an existing cluster moves one minor version at a time; ` +
        `npm run versions says which), or keep ${version.minorText} with AKS Long-Term Support (Premium tier), which this app does not set up.`,
    };
  }
}
