// The TUI's --help text, apart from the TUI itself so that the entry can show it without loading Ink and React.
import { containerFlagsHelp, securityFlagsHelp } from './connection-flags.js';
import { producerFlagsHelp } from './producer-flags.js';

export const TUI_HELP = `
  Usage
    $ kafka-producer-tui [--brokers h:p,...] [--sandbox] [--topic NAME] [--partitions N] [--fps N] [--no-color]
                         [--log-file PATH]
                         [producer settings]

  Opens the producer lab. --brokers uses a real cluster; --sandbox the built-in 3-broker cluster. With neither,
  a Kafka on 127.0.0.1:9092 is used if one answers within half a second, otherwise the built-in cluster.

  Options
    --brokers h:p,...   bootstrap servers of a real cluster
    --sandbox           the built-in cluster (ports 9092-9094, or free ones when taken)
    --topic NAME        topic to produce to (default playground; created when missing)
    --partitions N      partitions when the topic is created (default 6)
    --fps N             most screen updates per second, 1-60 (default 10)
    --no-color          no colours (as does the NO_COLOR environment variable)
    --log-file PATH     append the clients' own log lines (kafkajs, the producer) to PATH; L shows them in the app

  With --brokers: security (secrets only from the environment) and broker control through the containers
${securityFlagsHelp(4)}
${containerFlagsHelp(4)}

  Producer settings (Kafka's names; all can be changed live on the Settings screen)
${producerFlagsHelp(4)}

  Keys: ? in the app lists them all; q quits (queued records are flushed first).
`;
