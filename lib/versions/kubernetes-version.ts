/** `cluster.kubernetesVersion` as AKS takes it: `major.minor` (with the patch channel) or `major.minor.patch`. */

export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
  /** Absent for `major.minor`. */
  readonly patch?: number;
  /** `1.36`, also for `1.36.2`. */
  readonly minorText: string;
}

const PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const minorText = `${major}.${minor}`;
  return match[3] === undefined ? { major, minor, minorText } : { major, minor, patch: Number(match[3]), minorText };
}
