/**
 * When each Kubernetes minor version left upstream support (kubernetes.io/releases, "End of
 * Life"; checked 2026-12-07, facts.md for 1.34). A virtual node build ships that minor's kubelet,
 * which gets no more security patches after this date, whatever AKS supports.
 */
export const UPSTREAM_END_OF_LIFE: Readonly<Record<number, string>> = {
  29: "2025-02-28",
  30: "2025-06-28",
  31: "2025-10-28",
  32: "2026-02-28",
  33: "2026-06-28",
  34: "2026-10-27",
};
