// The labels that make a container one of ours (docker-compose.yml sets them). Containers are found and re-checked
// by these labels, then acted on by full ID: never by name, which differs between Docker Compose and podman-compose
// and could be reused by someone else's container.

const PREFIX = 'io.github.kafka-producer-tui.';

export const LABEL = {
  managed: `${PREFIX}managed`,
  role: `${PREFIX}role`,
  /** Kafka node.id: the broker id for brokers (1-3), 101-103 for controllers. */
  nodeId: `${PREFIX}node-id`,
  /** The address host clients use, e.g. 127.0.0.1:9093. */
  external: `${PREFIX}external`,
  composeProject: 'com.docker.compose.project',
  composeService: 'com.docker.compose.service',
  /** Set on `docker compose run` leftovers, which are not cluster nodes. */
  composeOneoff: 'com.docker.compose.oneoff',
} as const;

/** The compose file's top-level `name:`; `docker compose -p` or COMPOSE_PROJECT_NAME override it. */
export const DEFAULT_PROJECT = 'kafka-producer-tui';

/** Engine-side label filters (ANDed by Docker and current Podman) for the brokers of one project. */
export function brokerFilters(project: string): string[] {
  return [`${LABEL.composeProject}=${project}`, `${LABEL.managed}=true`, `${LABEL.role}=broker`];
}

/** Filter for every managed container of any project: used to say which projects exist when ours is empty. */
export function anyProjectFilters(): string[] {
  return [`${LABEL.managed}=true`];
}

/**
 * The broker id when `labels` are those of one of `project`'s brokers, else null. Checked on our side too, because
 * older Podman ORed several label filters and the labels can change between listing and acting.
 */
export function brokerIdOf(labels: Readonly<Record<string, string>>, project: string): number | null {
  if (labels[LABEL.managed] !== 'true') return null;
  if (labels[LABEL.composeProject] !== project) return null;
  if (labels[LABEL.role] !== 'broker') return null;
  if ((labels[LABEL.composeOneoff] ?? '').toLowerCase() === 'true') return null;
  const raw = labels[LABEL.nodeId] ?? '';
  if (!/^\d{1,9}$/.test(raw)) return null;
  return Number(raw);
}
