/**
 * `monitoring`: who is told when an alert fires. Azure checks e-mail receivers and action group
 * ids only when the plan is applied; here they are checked before anything is written.
 */
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** An address Azure Monitor can mail: one `@`, no spaces or angle brackets, a dotted domain. */
const EMAIL = /^[^\s@<>(),;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The resource id of an action group, as the portal's JSON view shows it (case-insensitive provider and type). */
const ACTION_GROUP_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/actionGroups\/[^/]+$/i;

/** Azure Monitor's limit of e-mail receivers per action group. */
export const MAX_EMAIL_RECEIVERS = 1000;

export function checkMonitoring(d: DeploymentConfig, report: DeploymentReporter): void {
  const m = d.monitoring;
  const seen = new Map<string, number>();
  m.alertEmails.forEach((email, i) => {
    const path = `monitoring.alertEmails[${i}]`;
    if (!EMAIL.test(email)) {
      report.error(path, email, "must be an e-mail address such as ops@example.com");
      return;
    }
    const first = seen.get(email.toLowerCase());
    if (first !== undefined) report.error(path, email, `repeats monitoring.alertEmails[${first}]; list each receiver once`);
    else seen.set(email.toLowerCase(), i);
  });
  if (m.alertEmails.length > MAX_EMAIL_RECEIVERS) {
    report.error("monitoring.alertEmails", `${m.alertEmails.length} receivers`, `must list at most ${MAX_EMAIL_RECEIVERS} (Azure's limit per action group); use monitoring.actionGroupId for a larger group`);
  }
  if (m.actionGroupId !== undefined && !ACTION_GROUP_ID.test(m.actionGroupId)) {
    report.error("monitoring.actionGroupId", m.actionGroupId, "must be an action group's resource id: /subscriptions/<id>/resourceGroups/<group>/providers/microsoft.insights/actionGroups/<name>");
  }
  if (m.enabled && m.alertEmails.length === 0 && m.actionGroupId === undefined) {
    report.warn("monitoring", undefined, "has neither alertEmails nor actionGroupId: the alerts fire, but notify no one; list receivers in monitoring.alertEmails or name an action group in monitoring.actionGroupId");
  }
}
