import { createHash } from 'node:crypto';
import {
  CreateCampaignCommand,
  type CreateCampaignCommandInput,
  CreateDatasetCommand,
  type CreateDatasetCommandInput,
  CreateDatasetGroupCommand,
  type CreateDatasetGroupCommandInput,
  CreateDatasetImportJobCommand,
  type CreateDatasetImportJobCommandInput,
  CreateEventTrackerCommand,
  type CreateEventTrackerCommandInput,
  CreateFilterCommand,
  type CreateFilterCommandInput,
  CreateSchemaCommand,
  type CreateSchemaCommandInput,
  CreateSolutionCommand,
  type CreateSolutionCommandInput,
  CreateSolutionVersionCommand,
  type CreateSolutionVersionCommandInput,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeSchemaCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  LimitExceededException,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateCampaignCommand,
  type UpdateCampaignCommandInput,
} from '@aws-sdk/client-personalize';
import { HeadObjectCommand, type PutObjectCommandInput, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseCsv } from '@encore/catalog';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { DatasetUpload } from './lib/export-directory';
import type { DatasetType, PersonalizeField, PersonalizeSchema } from './lib/personalize-schemas';
import type { SyncClock } from './lib/sync-clock';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
export const FAKE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PersonalizeS3Access`;

export type FakeResourceKind =
  | 'dataset-group'
  | 'schema'
  | 'dataset'
  | 'dataset-import-job'
  | 'solution'
  | 'solution-version'
  | 'campaign'
  | 'event-tracker'
  | 'filter';

interface FakeResource {
  kind: FakeResourceKind;
  arn: string;
  name: string;
  /** The dataset group, dataset or solution it belongs to. */
  parent?: string;
  status: string;
  pollsLeft: number;
  failureReason?: string;
  created: Date;
  updated: Date;
  fields: Record<string, string | undefined>;
  update?: { solutionVersionArn: string; status: string; pollsLeft: number; failureReason?: string; updated: Date };
}

export interface FakePersonalizeOptions {
  /** Describe calls a new resource answers with CREATE IN_PROGRESS before it is ACTIVE (default 1). */
  pollsUntilActive?: number;
  /** Entries per List page, so every pagination path is walked (default 2). */
  pageSize?: number;
}

/**
 * Amazon Personalize's control plane and S3 in memory, behind aws-sdk-client-mock stubs: resources
 * are created, listed (paginated), described (going PENDING → IN_PROGRESS → ACTIVE) and
 * conflict the way the real service does. `calls` logs every operation in order.
 *
 * Knobs: {@link fail} makes a resource's creation fail with a reason, {@link stall} keeps it
 * IN_PROGRESS forever, {@link throttle} answers the next calls of an operation with throttling
 * errors, {@link hideFromNextList} simulates a concurrent creator (the resource appears between
 * a List and the Create that follows).
 */
export class FakePersonalizeAws {
  readonly personalizeStub: AwsClientStub<PersonalizeClient>;
  readonly s3Stub: AwsClientStub<S3Client>;
  /** Operation names (CreateDatasetGroup, ListSchemas, PutObject…) in call order, throttled calls included. */
  readonly calls: string[] = [];
  readonly inputs: { op: string; input: Record<string, unknown> }[] = [];
  readonly objects = new Map<string, { body: Uint8Array; metadata: Record<string, string> }>();
  private readonly resources: FakeResource[] = [];
  private readonly failures = new Map<string, string>();
  private readonly stalled: string[] = [];
  private readonly throttled = new Map<string, { times: number; name: string }>();
  private readonly hidden = new Set<string>();
  private readonly pollsUntilActive: number;
  private readonly pageSize: number;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private sequence = 0;

  /** Mocks these two client instances only. */
  static forClients(personalize: PersonalizeClient, s3: S3Client, options: FakePersonalizeOptions = {}) {
    return new FakePersonalizeAws(mockClient(personalize), mockClient(s3), options);
  }

  /** Mocks every PersonalizeClient and S3Client (for code that builds its own clients); call {@link restore} after. */
  static forAllClients(options: FakePersonalizeOptions = {}) {
    return new FakePersonalizeAws(mockClient(PersonalizeClient), mockClient(S3Client), options);
  }

  private constructor(
    personalizeStub: AwsClientStub<PersonalizeClient>,
    s3Stub: AwsClientStub<S3Client>,
    options: FakePersonalizeOptions,
  ) {
    this.personalizeStub = personalizeStub;
    this.s3Stub = s3Stub;
    this.pollsUntilActive = options.pollsUntilActive ?? 1;
    this.pageSize = options.pageSize ?? 2;
    this.install();
  }

  restore(): void {
    this.personalizeStub.restore();
    this.s3Stub.restore();
  }

  /** The creation of resources whose name starts with `namePrefix` fails with `reason`. */
  fail(namePrefix: string, reason: string): void {
    this.failures.set(namePrefix, reason);
  }

  /** Resources whose name starts with `namePrefix` never leave CREATE IN_PROGRESS. */
  stall(namePrefix: string): void {
    this.stalled.push(namePrefix);
  }

  /** The next `times` calls of `op` (e.g. 'CreateDatasetGroup') fail with a throttling error named `name`. */
  throttle(op: string, times: number, name = 'ThrottlingException'): void {
    this.throttled.set(op, { times, name });
  }

  /**
   * Lists leave this resource out until a Create of it is attempted, which then fails with
   * ResourceAlreadyExistsException: as if another process created it between a List and a Create.
   */
  hideFromNextList(kind: FakeResourceKind, name: string): void {
    this.hidden.add(`${kind} ${name}`);
  }

  /** Undoes {@link fail}: resources created from now on succeed. */
  heal(namePrefix: string): void {
    this.failures.delete(namePrefix);
  }

  /** Names of existing resources of a kind, in creation order. */
  names(kind: FakeResourceKind): string[] {
    return this.resources.filter((r) => r.kind === kind).map((r) => r.name);
  }

  /** Every call whose operation starts with Create, Update or Put: what a no-op re-run must not make. */
  mutations(): string[] {
    return this.calls.filter((c) => /^(Create|Update|Put|Delete)/.test(c));
  }

  private install(): void {
    const p = this.personalizeStub;
    p.onAnyCommand().callsFake((input: unknown) => {
      throw new Error(`FakePersonalizeAws does not implement this command (input ${JSON.stringify(input)})`);
    });
    const on = <I>(command: { name: string }, op: (input: I) => unknown) =>
      (p as unknown as { on(c: unknown): { callsFake(fn: (input: I) => unknown): void } })
        .on(command)
        .callsFake((input: I) => this.handle(command.name.replace(/Command$/, ''), input, () => op(input)));

    on(ListDatasetGroupsCommand, (i: { nextToken?: string }) =>
      this.page(this.listed('dataset-group', undefined), i.nextToken, 'datasetGroups', (r) => ({
        name: r.name,
        datasetGroupArn: r.arn,
        status: r.status,
        creationDateTime: r.created,
        lastUpdatedDateTime: r.updated,
      })),
    );
    on(CreateDatasetGroupCommand, (i: CreateDatasetGroupCommandInput) => ({
      datasetGroupArn: this.create('dataset-group', i.name as string, undefined, {}).arn,
    }));
    on(DescribeDatasetGroupCommand, (i: { datasetGroupArn: string }) => {
      const r = this.describe(i.datasetGroupArn);
      return {
        datasetGroup: { name: r.name, datasetGroupArn: r.arn, status: r.status, failureReason: r.failureReason },
      };
    });

    on(ListSchemasCommand, (i: { nextToken?: string }) =>
      this.page(this.listed('schema', undefined), i.nextToken, 'schemas', (r) => ({
        name: r.name,
        schemaArn: r.arn,
      })),
    );
    on(CreateSchemaCommand, (i: CreateSchemaCommandInput) => {
      JSON.parse(i.schema as string); // the real service rejects malformed JSON too
      const r = this.create('schema', i.name as string, undefined, { schema: i.schema });
      r.status = 'ACTIVE';
      return { schemaArn: r.arn };
    });
    on(DescribeSchemaCommand, (i: { schemaArn: string }) => {
      const r = this.get(i.schemaArn);
      return { schema: { name: r.name, schemaArn: r.arn, schema: r.fields['schema'] } };
    });

    on(ListDatasetsCommand, (i: { datasetGroupArn: string; nextToken?: string }) =>
      this.page(this.listed('dataset', i.datasetGroupArn), i.nextToken, 'datasets', (r) => ({
        name: r.name,
        datasetArn: r.arn,
        datasetType: r.fields['datasetType'],
        status: r.status,
      })),
    );
    on(CreateDatasetCommand, (i: CreateDatasetCommandInput) => {
      this.get(i.schemaArn as string);
      const sameType = this.list('dataset', i.datasetGroupArn).find((d) => d.fields['datasetType'] === i.datasetType);
      if (sameType) throw this.collided(sameType);
      const r = this.create('dataset', i.name as string, this.get(i.datasetGroupArn as string).arn, {
        datasetType: i.datasetType,
        schemaArn: i.schemaArn,
      });
      return { datasetArn: r.arn };
    });
    on(DescribeDatasetCommand, (i: { datasetArn: string }) => {
      const r = this.describe(i.datasetArn);
      return {
        dataset: {
          name: r.name,
          datasetArn: r.arn,
          datasetType: r.fields['datasetType'],
          schemaArn: r.fields['schemaArn'],
          status: r.status,
        },
      };
    });

    on(ListDatasetImportJobsCommand, (i: { datasetArn: string; nextToken?: string }) =>
      this.page(this.listed('dataset-import-job', i.datasetArn), i.nextToken, 'datasetImportJobs', (r) => ({
        jobName: r.name,
        datasetImportJobArn: r.arn,
        status: r.status,
        failureReason: r.failureReason,
        creationDateTime: r.created,
        lastUpdatedDateTime: r.updated,
        importMode: 'FULL',
      })),
    );
    on(CreateDatasetImportJobCommand, (i: CreateDatasetImportJobCommandInput) => {
      const location = i.dataSource?.dataLocation ?? '';
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
      if (!match || !this.objects.has(`${match[1]}/${match[2]}`)) {
        throw Object.assign(new Error(`no object at ${location}`), { name: 'InvalidInputException' });
      }
      const r = this.create('dataset-import-job', i.jobName as string, this.get(i.datasetArn as string).arn, {
        dataLocation: location,
        roleArn: i.roleArn,
      });
      return { datasetImportJobArn: r.arn };
    });
    on(DescribeDatasetImportJobCommand, (i: { datasetImportJobArn: string }) => {
      const r = this.describe(i.datasetImportJobArn);
      return {
        datasetImportJob: {
          jobName: r.name,
          datasetImportJobArn: r.arn,
          datasetArn: r.parent,
          status: r.status,
          failureReason: r.failureReason,
          creationDateTime: r.created,
          lastUpdatedDateTime: r.updated,
        },
      };
    });

    on(ListSolutionsCommand, (i: { datasetGroupArn: string; nextToken?: string }) =>
      this.page(this.listed('solution', i.datasetGroupArn), i.nextToken, 'solutions', (r) => ({
        name: r.name,
        solutionArn: r.arn,
        status: r.status,
        recipeArn: r.fields['recipeArn'],
        creationDateTime: r.created,
      })),
    );
    on(CreateSolutionCommand, (i: CreateSolutionCommandInput) => {
      const group = this.get(i.datasetGroupArn as string);
      if (!this.list('dataset', group.arn).some((d) => d.fields['datasetType'] === 'INTERACTIONS')) {
        throw Object.assign(new Error('the dataset group has no interactions dataset'), {
          name: 'InvalidInputException',
        });
      }
      const r = this.create('solution', i.name as string, group.arn, { recipeArn: i.recipeArn });
      return { solutionArn: r.arn };
    });
    on(DescribeSolutionCommand, (i: { solutionArn: string }) => {
      const r = this.describe(i.solutionArn);
      return { solution: { name: r.name, solutionArn: r.arn, status: r.status, recipeArn: r.fields['recipeArn'] } };
    });

    on(ListSolutionVersionsCommand, (i: { solutionArn: string; nextToken?: string }) =>
      this.page(this.listed('solution-version', i.solutionArn), i.nextToken, 'solutionVersions', (r) => ({
        solutionVersionArn: r.arn,
        status: r.status,
        failureReason: r.failureReason,
        creationDateTime: r.created,
        lastUpdatedDateTime: r.updated,
      })),
    );
    on(CreateSolutionVersionCommand, (i: CreateSolutionVersionCommandInput) => {
      const solution = this.get(i.solutionArn as string);
      if (solution.status !== 'ACTIVE') throw inUse(`solution ${solution.name} is ${solution.status}`);
      const imports = this.resources.filter((r) => r.kind === 'dataset-import-job' && r.status === 'ACTIVE');
      if (imports.length === 0) {
        throw Object.assign(new Error('no data has been imported'), { name: 'InvalidInputException' });
      }
      const r = this.create('solution-version', solution.name, solution.arn, { trainingMode: i.trainingMode });
      return { solutionVersionArn: r.arn };
    });
    on(DescribeSolutionVersionCommand, (i: { solutionVersionArn: string }) => {
      const r = this.describe(i.solutionVersionArn);
      return {
        solutionVersion: {
          solutionVersionArn: r.arn,
          solutionArn: r.parent,
          status: r.status,
          failureReason: r.failureReason,
          creationDateTime: r.created,
          lastUpdatedDateTime: r.updated,
        },
      };
    });

    on(ListCampaignsCommand, (i: { solutionArn: string; nextToken?: string }) =>
      this.page(this.listed('campaign', i.solutionArn), i.nextToken, 'campaigns', (r) => ({
        name: r.name,
        campaignArn: r.arn,
        status: r.status,
      })),
    );
    on(CreateCampaignCommand, (i: CreateCampaignCommandInput) => {
      const version = this.get(i.solutionVersionArn as string);
      if (version.status !== 'ACTIVE') throw inUse(`solution version ${version.arn} is ${version.status}`);
      const r = this.create('campaign', i.name as string, version.parent, {
        solutionVersionArn: version.arn,
        minProvisionedTPS: String(i.minProvisionedTPS ?? 1),
      });
      return { campaignArn: r.arn };
    });
    on(UpdateCampaignCommand, (i: UpdateCampaignCommandInput) => {
      const r = this.get(i.campaignArn as string);
      if (r.status !== 'ACTIVE' || (r.update && /PENDING|IN_PROGRESS/.test(r.update.status))) {
        throw inUse(`campaign ${r.name} is being created or updated`);
      }
      const version = this.get(i.solutionVersionArn as string);
      r.update = {
        solutionVersionArn: version.arn,
        status: 'UPDATE PENDING',
        pollsLeft: this.pollsFor(r.name),
        failureReason: this.failureFor(r.name),
        updated: new Date(this.clock),
      };
      return { campaignArn: r.arn };
    });
    on(DescribeCampaignCommand, (i: { campaignArn: string }) => {
      const r = this.describe(i.campaignArn);
      const u = r.update;
      if (u && r.status === 'ACTIVE' && /PENDING|IN_PROGRESS/.test(u.status)) {
        if (u.pollsLeft > 0) {
          u.pollsLeft--;
          u.status = 'UPDATE IN_PROGRESS';
        } else if (u.failureReason) u.status = 'UPDATE FAILED';
        else {
          u.status = 'ACTIVE';
          r.fields['solutionVersionArn'] = u.solutionVersionArn;
        }
        u.updated = new Date(this.clock);
      }
      return {
        campaign: {
          name: r.name,
          campaignArn: r.arn,
          solutionVersionArn: r.fields['solutionVersionArn'],
          status: r.status,
          failureReason: r.failureReason,
          latestCampaignUpdate: u && {
            solutionVersionArn: u.solutionVersionArn,
            status: u.status,
            failureReason: u.status === 'UPDATE FAILED' ? u.failureReason : undefined,
            lastUpdatedDateTime: u.updated,
          },
        },
      };
    });

    on(ListEventTrackersCommand, (i: { datasetGroupArn: string; nextToken?: string }) =>
      this.page(this.listed('event-tracker', i.datasetGroupArn), i.nextToken, 'eventTrackers', (r) => ({
        name: r.name,
        eventTrackerArn: r.arn,
        status: r.status,
      })),
    );
    on(CreateEventTrackerCommand, (i: CreateEventTrackerCommandInput) => {
      const existing = this.list('event-tracker', i.datasetGroupArn);
      const same = existing.find((t) => t.name === i.name);
      if (same) throw this.collided(same);
      if (existing.length > 0) {
        throw new LimitExceededException({ message: 'a dataset group has at most one event tracker', $metadata: {} });
      }
      const trackingId = createHash('sha256').update(String(i.name)).digest('hex').slice(0, 8);
      const r = this.create('event-tracker', i.name as string, this.get(i.datasetGroupArn as string).arn, {
        trackingId: `${trackingId}-0000-4000-8000-${trackingId}0000`,
      });
      return { eventTrackerArn: r.arn, trackingId: r.fields['trackingId'] };
    });
    on(DescribeEventTrackerCommand, (i: { eventTrackerArn: string }) => {
      const r = this.describe(i.eventTrackerArn);
      return {
        eventTracker: { name: r.name, eventTrackerArn: r.arn, trackingId: r.fields['trackingId'], status: r.status },
      };
    });

    on(ListFiltersCommand, (i: { datasetGroupArn: string; nextToken?: string }) =>
      this.page(this.listed('filter', i.datasetGroupArn), i.nextToken, 'Filters', (r) => ({
        name: r.name,
        filterArn: r.arn,
        status: r.status,
      })),
    );
    on(CreateFilterCommand, (i: CreateFilterCommandInput) => {
      const r = this.create('filter', i.name as string, this.get(i.datasetGroupArn as string).arn, {
        filterExpression: i.filterExpression,
      });
      return { filterArn: r.arn };
    });
    on(DescribeFilterCommand, (i: { filterArn: string }) => {
      const r = this.describe(i.filterArn);
      return {
        filter: {
          name: r.name,
          filterArn: r.arn,
          filterExpression: r.fields['filterExpression'],
          status: r.status,
          failureReason: r.failureReason,
        },
      };
    });

    const s3 = this.s3Stub;
    s3.onAnyCommand().callsFake((input: unknown) => {
      throw new Error(`FakePersonalizeAws does not implement this S3 command (input ${JSON.stringify(input)})`);
    });
    s3.on(HeadObjectCommand).callsFake((i: { Bucket: string; Key: string }) =>
      this.handle('HeadObject', i, () => {
        const o = this.objects.get(`${i.Bucket}/${i.Key}`);
        if (!o) throw Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
        return { ContentLength: o.body.length, Metadata: o.metadata };
      }),
    );
    s3.on(PutObjectCommand).callsFake((i: PutObjectCommandInput) =>
      this.handle('PutObject', { ...i, Body: '<body>' }, async () => {
        const body = await bytesOf(i.Body);
        if (i.ContentLength !== undefined && i.ContentLength !== body.length) {
          throw new Error(`ContentLength ${i.ContentLength} but the body has ${body.length} bytes`);
        }
        this.objects.set(`${i.Bucket}/${i.Key}`, { body, metadata: { ...i.Metadata } });
        return { ETag: `"${createHash('md5').update(body).digest('hex')}"` };
      }),
    );
  }

  private async handle<T>(op: string, input: unknown, run: () => T | Promise<T>): Promise<T> {
    this.clock += 1000;
    this.calls.push(op);
    this.inputs.push({ op, input: { ...(input as Record<string, unknown>) } });
    const throttle = this.throttled.get(op);
    if (throttle && throttle.times > 0) {
      throttle.times--;
      throw Object.assign(new Error('Rate exceeded'), {
        name: throttle.name,
        $metadata: { httpStatusCode: throttle.name === 'TooManyRequestsException' ? 429 : 400 },
      });
    }
    return run();
  }

  private create(
    kind: FakeResourceKind,
    name: string,
    parent: string | undefined,
    fields: FakeResource['fields'],
  ): FakeResource {
    const scope = kind === 'dataset-group' || kind === 'schema' ? undefined : parent;
    const existing = this.resources.find((r) => r.kind === kind && r.name === name && r.parent === scope);
    if (kind !== 'solution-version' && existing) throw this.collided(existing);
    const id = (++this.sequence).toString(16).padStart(8, '0');
    const path =
      kind === 'solution-version'
        ? `solution/${name}/${id}`
        : kind === 'event-tracker'
          ? `event-tracker/${id}`
          : `${kind}/${name}`;
    const resource: FakeResource = {
      kind,
      arn: `arn:aws:personalize:${REGION}:${ACCOUNT}:${path}`,
      name,
      parent: scope,
      status: 'CREATE PENDING',
      pollsLeft: this.pollsFor(name),
      failureReason: this.failureFor(name),
      created: new Date(this.clock),
      updated: new Date(this.clock),
      fields,
    };
    this.resources.push(resource);
    return resource;
  }

  /** Describing a resource moves it along: IN_PROGRESS while polls are left, then ACTIVE or CREATE FAILED. */
  private describe(arn: string): FakeResource {
    const r = this.get(arn);
    if (/PENDING|IN_PROGRESS/.test(r.status)) {
      if (r.pollsLeft > 0) {
        r.pollsLeft--;
        r.status = 'CREATE IN_PROGRESS';
      } else r.status = r.failureReason ? 'CREATE FAILED' : 'ACTIVE';
      r.updated = new Date(this.clock);
    }
    return r;
  }

  private get(arn: string): FakeResource {
    const r = this.resources.find((x) => x.arn === arn);
    if (!r) throw new ResourceNotFoundException({ message: `${arn} does not exist`, $metadata: {} });
    return r;
  }

  private list(kind: FakeResourceKind, parent?: string): FakeResource[] {
    return this.resources.filter((r) => r.kind === kind && (parent === undefined || r.parent === parent));
  }

  /** What a List operation shows: everything but the resources hidden until someone tries to create them again. */
  private listed(kind: FakeResourceKind, parent: string | undefined): FakeResource[] {
    return this.list(kind, parent).filter((r) => !this.hidden.has(`${kind} ${r.name}`));
  }

  /** A Create collided with `r`: the concurrent creator has finished, so lists show it from now on. */
  private collided(r: FakeResource): ResourceAlreadyExistsException {
    this.hidden.delete(`${r.kind} ${r.name}`);
    return alreadyExists(`${r.kind} ${r.name} already exists`);
  }

  private page<K extends string>(
    items: FakeResource[],
    token: string | undefined,
    key: K,
    summary: (r: FakeResource) => object,
  ): Record<K, object[]> & { nextToken?: string } {
    const start = token === undefined ? 0 : Number(token);
    const end = start + this.pageSize;
    return {
      [key]: items.slice(start, end).map(summary),
      ...(end < items.length && { nextToken: String(end) }),
    } as Record<K, object[]> & { nextToken?: string };
  }

  private pollsFor(name: string): number {
    return this.stalled.some((p) => name.startsWith(p)) ? Number.POSITIVE_INFINITY : this.pollsUntilActive;
  }

  private failureFor(name: string): string | undefined {
    for (const [prefix, reason] of this.failures) if (name.startsWith(prefix)) return reason;
    return undefined;
  }
}

function alreadyExists(message: string) {
  return new ResourceAlreadyExistsException({ message, $metadata: {} });
}

function inUse(message: string) {
  return new ResourceInUseException({ message, $metadata: {} });
}

async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new Error(`unsupported PutObject body ${typeof body}`);
}

/** A clock whose sleeps return at once and move time forward; `sleeps` records each wait. */
export function instantClock(start = Date.parse('2026-01-01T00:00:00Z')): SyncClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

/** A dataset upload from CSV text held in memory. */
export function datasetUpload(type: DatasetType, csv: string, schema: PersonalizeSchema | string): DatasetUpload {
  const bytes = new TextEncoder().encode(csv);
  return {
    type,
    fileName: `${type.toLowerCase()}.csv`,
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema, null, 2),
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    body: () => bytes,
  };
}

/** Concatenates an async iterable of text chunks. */
export async function collectText(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/**
 * Reads an exported CSV back the way Personalize does, against its schema: the header must list
 * the schema's fields in order; each row becomes an Avro record (empty cell → null for nullable
 * fields, numbers parsed by type). Returns the records and any problem found while reading.
 */
export function recordsFromCsv(
  csv: string,
  schema: PersonalizeSchema,
): { header: string[]; records: Record<string, unknown>[]; problems: string[] } {
  const parsed = parseCsv(csv);
  const problems: string[] = [];
  const [head, ...rows] = parsed;
  const header = head?.fields ?? [];
  const records: Record<string, unknown>[] = [];
  for (const row of rows) {
    if (row.error) problems.push(`line ${row.line}: ${row.error}`);
    if (row.fields.length !== schema.fields.length) {
      problems.push(`line ${row.line}: ${row.fields.length} fields, schema has ${schema.fields.length}`);
      continue;
    }
    const record: Record<string, unknown> = {};
    schema.fields.forEach((field, i) => (record[field.name] = cellValue(field, row.fields[i])));
    records.push(record);
  }
  return { header, records, problems };
}

function cellValue(field: PersonalizeField, cell: string): unknown {
  const nullable = Array.isArray(field.type);
  const type = Array.isArray(field.type) ? field.type[1] : field.type;
  if (cell === '' && nullable) return null;
  switch (type) {
    case 'string':
      return cell;
    case 'int':
    case 'long':
      // Anything but an integer literal stays a string so that validation rejects it.
      return /^-?\d+$/.test(cell) ? Number(cell) : cell;
    case 'float':
    case 'double':
      return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell) ? Number(cell) : cell;
  }
}
