// Every way container control can fail, each with the fix in the same sentence: the message is shown as is on the
// Cluster screen, so it must tell the user what to do, not just what went wrong.

export type ContainerErrorCode =
  | 'not-installed'
  | 'unreachable'
  | 'permission-denied'
  | 'insecure-host'
  | 'api-version'
  | 'no-containers'
  | 'addresses-mismatch'
  | 'timeout'
  | 'blocked'
  | 'engine';

export class ContainerControlError extends Error {
  constructor(
    readonly code: ContainerErrorCode,
    readonly problem: string,
    readonly fix: string,
    /** The socket error code behind it (ENOENT, ECONNREFUSED...), when there was one. */
    readonly errno?: string,
  ) {
    super(`${problem}. ${fix}`);
    this.name = 'ContainerControlError';
  }
}

const DOCKER_HOST_HINT = 'or set DOCKER_HOST to your engine (e.g. DOCKER_HOST=unix:///run/user/1000/podman/podman.sock)';

export const containerErrors = {
  notInstalled(): ContainerControlError {
    return new ContainerControlError(
      'not-installed',
      'Docker is not installed: no Docker or Podman socket was found and there is no docker or podman command on PATH',
      `Install Docker (Docker Desktop or Docker Engine) or Podman, ${DOCKER_HOST_HINT}`,
    );
  },

  /** `where`: a socket path, or `{ cli: 'docker' }` when the docker/podman command was the way to the engine. */
  unreachable(where: string | { cli: string }, detail: string, errno?: string): ContainerControlError {
    const engine = typeof where === 'string' ? `The container engine at ${where}` : `The container engine the ${where.cli} command uses`;
    return new ContainerControlError(
      'unreachable',
      `${engine} is not reachable (${detail})`,
      `Start Docker (Docker Desktop, or \`sudo systemctl start docker\`) or Podman (\`systemctl --user start podman.socket\`), ${DOCKER_HOST_HINT}`,
      errno,
    );
  },

  permissionDenied(where: string | { cli: string }, errno?: string): ContainerControlError {
    return new ContainerControlError(
      'permission-denied',
      typeof where === 'string' ? `Permission denied on the container engine socket ${where}` : `The ${where.cli} command was denied access to its container engine`,
      'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again; note that this group is ' +
        `equivalent to root), or use rootless Docker or rootless Podman, ${DOCKER_HOST_HINT}`,
      errno,
    );
  },

  insecureHost(host: string): ContainerControlError {
    return new ContainerControlError(
      'insecure-host',
      `DOCKER_HOST=${host} is a TCP endpoint without TLS: anyone on the network could control that engine`,
      'Use the local socket (unset DOCKER_HOST), set DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH, or allow it explicitly',
    );
  },

  unsupportedHost(host: string, why: string): ContainerControlError {
    return new ContainerControlError(
      'unreachable',
      `Cannot use the container engine endpoint ${host} (${why})`,
      `Use a unix:// socket, install the docker or podman command, ${DOCKER_HOST_HINT}`,
    );
  },

  apiVersion(where: string, detail: string): ContainerControlError {
    return new ContainerControlError(
      'api-version',
      `The container engine at ${where} speaks no Engine API version this app can use (${detail})`,
      'Update Docker or Podman, or use the docker command instead of the socket (unset DOCKER_HOST and install the CLI)',
    );
  },

  noContainers(project: string, otherProjects: string[]): ContainerControlError {
    const others =
      otherProjects.length > 0
        ? `; labelled clusters exist under the project ${otherProjects.length === 1 ? 'name' : 'names'} ${otherProjects.join(', ')} (started with -p?)`
        : '';
    const fix =
      otherProjects.length > 0
        ? `Pass that project name to the app, or start the cluster with \`docker compose up -d\` in the project folder`
        : 'Start the cluster with `docker compose up -d` in the project folder (the one with docker-compose.yml)';
    return new ContainerControlError('no-containers', `No Kafka broker containers of project "${project}" were found${others}`, fix);
  },

  addressesMismatch(brokers: string[], published: string[]): ContainerControlError {
    return new ContainerControlError(
      'addresses-mismatch',
      `The broker containers found publish ${published.join(', ') || 'no address'}, but the app is connected to ` +
        `${brokers.join(', ')}: they are not the same cluster, so container control stays off`,
      'Connect with --brokers 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094, or start this project\'s cluster with `docker compose up -d`',
    );
  },

  timeout(what: string, ms: number): ContainerControlError {
    return new ContainerControlError(
      'timeout',
      `${what} did not answer within ${(ms / 1000).toFixed(1)} s`,
      'Check the container with `docker ps` and `docker inspect`; if it is stuck, `docker kill` it and start it again',
    );
  },

  blocked(method: string, path: string): ContainerControlError {
    return new ContainerControlError(
      'blocked',
      `blocked Engine API call ${method} ${path}`,
      'This app only lists, inspects, stops, kills, pauses, unpauses and starts containers; report this as a bug',
    );
  },

  engine(what: string, status: number, message: string): ContainerControlError {
    return new ContainerControlError(
      'engine',
      `${what} failed: ${message || `HTTP ${status}`}`,
      'Check the container with `docker ps -a` and the engine with `docker info`',
    );
  },
};
