// Whether a lab can prove its point on the cluster at hand, and what to say when the outcome is not guaranteed
// there: a sandbox-only fault cannot happen on a real cluster (the lab refuses to run, exit code 2); broker actions
// need container control; an outcome that depends on timing is run, with a warning that the verdict may differ.
import type { ClusterControl } from '../kafka/cluster/cluster-control.js';
import type { Lab } from './lab-types.js';

export function cannotRunReason(
  lab: Lab,
  where: { real: boolean; control: ClusterControl | null; checkControl: boolean; controlProblem?: string | null },
): string | null {
  if (!where.real) return null;
  const fault = lab.needs.sandboxFault;
  if (fault?.need === 'required') {
    return `lab ${lab.name} needs the built-in cluster: its fault (${fault.what}) can only be injected there, a real broker cannot be told to do it. Run it without --brokers.`;
  }
  if (where.checkControl && lab.needs.brokerActions && !where.control) {
    const why = where.controlProblem ? ` (${where.controlProblem})` : '';
    return (
      `lab ${lab.name} stops or crashes brokers, and this cluster's brokers cannot be controlled${why}. ` +
      `Start the project's cluster with docker compose up -d and point --brokers at it, or run the lab without --brokers.`
    );
  }
  return null;
}

export function realClusterCaveat(lab: Lab): string | null {
  const fault = lab.needs.sandboxFault;
  if (fault?.need === 'helps') {
    return `On a real cluster this outcome depends on timing (the built-in cluster makes it certain with ${fault.what}): the verdict may differ from run to run.`;
  }
  if (lab.needs.timingOnRealCluster) return 'On a real cluster this outcome depends on timing: the verdict may differ from run to run.';
  return null;
}
