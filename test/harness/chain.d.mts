// Types of chain.mjs (the release → deploy chain the pipeline test, the demo and the bench share).
import type { ActionRun } from './runner.mjs';

export interface SigningKey {
  privateKeyPem: string;
  publicKeyPem: string;
}

export declare function makeSigningKey(): SigningKey;

export interface ReleaseOptions {
  /** The docker CLI (default `docker`). */
  docker?: string;
  /** `registry/namespace` the images are pushed under. */
  repo: string;
  /** e.g. `sha-<commit>`. */
  tag: string;
  /** `{ VARIABLE: [name, source image] }`: pushed as `<repo>/<name>:<tag>`. */
  images: Record<string, readonly [string, string]>;
  privateKeyPem: string;
}

export declare function publishRelease(options: ReleaseOptions): Promise<Record<string, string>>;

type Inputs = Record<string, string | number | boolean>;

export interface DeployJobOptions {
  workspace: string;
  /** `{ VARIABLE: image }`, verified one by one; render-env gets `VARIABLE=<verified image-ref>`. */
  images: Record<string, string>;
  /** verify-signature's `key`: a PEM or a path. */
  publicKey: string;
  /** More verify-signature inputs. */
  verify?: Inputs;
  /** More `vars` for render-env. */
  vars?: Record<string, string>;
  /** render-env's `secrets`, as a mapping. */
  secrets?: Record<string, string>;
  /** render-env's other inputs (template, output, compose-file, ...). */
  render?: Inputs;
  rollout: Inputs;
  ready: Inputs;
  onStep?: (label: string, run: ActionRun) => void;
}

export interface DeployJob {
  verify: ActionRun[];
  /** The images as verify-signature pinned them. */
  pinned: Record<string, string>;
  render?: ActionRun;
  rollout?: ActionRun;
  ready?: ActionRun;
  rollback?: ActionRun;
  /** Every run, post steps included, in order. */
  runs: ActionRun[];
}

export declare function deployJob(options: DeployJobOptions): Promise<DeployJob>;

/** The parts of .lab/lab.json the chain reads (test/lab/lab.ts has the whole, typed). */
export interface LabJson {
  sshHost: string;
  sshPort: number;
  user: string;
  privateKeyPath: string;
  knownHostsPath: string;
  registry: string;
  remoteBase: string;
  dockerCli: string;
  images: { migrator: string; db: string };
}

export declare function readLab(): LabJson | undefined;
/** ssh-deploy's connection inputs for the lab's deploy host (the key read from privateKeyPath). */
export interface LabConnection {
  host: string;
  username: string;
  'private-key': string;
  'known-hosts': string;
}

export declare function labConnection(lab: LabJson): LabConnection;
export declare function labReleaseImages(
  lab: LabJson,
  app: string,
): Record<string, readonly [string, string]>;

export interface StackJobOptions {
  lab: LabJson;
  remoteDir: string;
  project: string;
  port: number;
  /** ssh-deploy's health gate on /api/ready, e.g. `30s`; none when left out. */
  healthTimeout?: string;
  /** render-env's `policy`. */
  policy?: string;
}

export declare function stackJob(options: StackJobOptions): {
  render: Inputs;
  rollout: Inputs;
  ready: Inputs;
};
