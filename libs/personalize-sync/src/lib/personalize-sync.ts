import {
  type Campaign,
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeSchemaCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
  UpdateCampaignCommand,
} from '@aws-sdk/client-personalize';
import { HeadObjectCommand, type HeadObjectCommandOutput, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DatasetUpload } from './export-directory';
import { type DatasetType, GENRE_FILTER_EXPRESSION } from './personalize-schemas';
import {
  DEFAULT_POLL_POLICY,
  DEFAULT_RETRY_POLICY,
  type PollPolicy,
  pollDelay,
  type RetryPolicy,
  retryThrottled,
  type SyncClock,
  SYSTEM_CLOCK,
} from './sync-clock';

export const USER_PERSONALIZATION_RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization-v2';
export const SIMILAR_ITEMS_RECIPE = 'arn:aws:personalize:::recipe/aws-similar-items';

/** Every resource name is `<name>-<suffix>`; Personalize names stop at 63 characters, the longest suffix takes 26. */
export const SYNC_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,35}$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What to build: one dataset group and everything the API's Personalize provider needs. */
export interface PersonalizeSyncPlan {
  /** Dataset group name and the prefix of every resource name. */
  name: string;
  bucket: string;
  /** Key prefix of the uploaded CSVs ('' or e.g. 'personalize/'). */
  prefix?: string;
  /** IAM role Personalize assumes to read the bucket. */
  roleArn: string;
  /** Region of the clients: written into the env lines. */
  region: string;
  datasets: readonly DatasetUpload[];
  /** Default aws-user-personalization-v2. */
  userRecipeArn?: string;
  /** Default aws-similar-items. */
  similarRecipeArn?: string;
  /** Create the genre filter (needs an ITEMS dataset). Default true. */
  filter?: boolean;
  /** Per campaign. Default 1 (billed per provisioned TPS-hour). */
  minProvisionedTPS?: number;
}

export interface PersonalizeSyncOptions {
  personalize: PersonalizeClient;
  s3: S3Client;
  clock?: SyncClock;
  polling?: Partial<PollPolicy>;
  retry?: Partial<RetryPolicy>;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncProgress {
  /** Steps finished so far, of `total`. */
  done: number;
  total: number;
  /** One line: what finished, what is waited on, or which call was throttled. */
  message: string;
}

export type SyncAction = 'created' | 'reused' | 'updated' | 'uploaded' | 'unchanged';

export interface SyncedResource {
  kind:
    | 'object'
    | 'dataset-group'
    | 'schema'
    | 'dataset'
    | 'import-job'
    | 'solution'
    | 'solution-version'
    | 'campaign'
    | 'event-tracker'
    | 'filter';
  name: string;
  /** ARN, or s3:// URL for an object. */
  arn: string;
  action: SyncAction;
}

export interface PersonalizeSyncResult {
  region: string;
  datasetGroupArn: string;
  userCampaignArn: string;
  similarCampaignArn: string;
  eventTrackerArn: string;
  trackingId: string;
  filterArn: string | null;
  resources: SyncedResource[];
  /** The API's configuration for this dataset group (see apps/api/src/config/recommender-settings.ts). */
  env: Record<string, string>;
  /** `env` as NAME=value lines, ready for an .env file. */
  envLines: string[];
}

/** A sync step that cannot go on: names the resource and, for a failed job, Personalize's reason. */
export class PersonalizeSyncError extends Error {
  override readonly name = 'PersonalizeSyncError';
}

/** Why a plan cannot run, one message per problem (empty when it can). */
export function syncPlanProblems(plan: PersonalizeSyncPlan): string[] {
  const problems: string[] = [];
  if (!SYNC_NAME_PATTERN.test(plan.name)) {
    problems.push(
      `name ${JSON.stringify(plan.name)} must be 1-36 letters, digits, "-" or "_", starting with a letter or digit`,
    );
  }
  if (!BUCKET_PATTERN.test(plan.bucket))
    problems.push(`bucket ${JSON.stringify(plan.bucket)} is not an S3 bucket name`);
  if (!ROLE_ARN_PATTERN.test(plan.roleArn)) {
    problems.push(
      `role ARN ${JSON.stringify(plan.roleArn)} must look like arn:aws:iam::123456789012:role/PersonalizeS3Access`,
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(plan.region))
    problems.push(`region ${JSON.stringify(plan.region)} is not an AWS region`);
  const types = plan.datasets.map((d) => d.type);
  if (!types.includes('INTERACTIONS')) problems.push('an INTERACTIONS dataset is required');
  if (new Set(types).size !== types.length) problems.push('each dataset type may appear once');
  if ((plan.filter ?? true) && !types.includes('ITEMS')) problems.push('the genre filter needs an ITEMS dataset');
  return problems;
}

interface Found {
  arn: string;
  status?: string;
}

interface Described {
  status?: string;
  failureReason?: string;
}

const IN_PROGRESS = /PENDING|IN_PROGRESS/;
const FAILED = /FAILED|STOPPED|STOPPING|^DELETE/;

/**
 * Builds (or brings up to date) an Amazon Personalize dataset group from an export: uploads the
 * CSVs, then schemas, datasets, import jobs, a USER_PERSONALIZATION and a similar-items solution,
 * their solution versions and campaigns, an event tracker and the genre filter.
 *
 * Every resource is looked up by name before it is created, so a re-run after an interruption
 * resumes, and a re-run after success makes no Create call at all. A new import job (new data)
 * makes the solution versions stale: they are retrained and the campaigns are updated to them.
 */
export class PersonalizeSync {
  private readonly personalize: PersonalizeClient;
  private readonly s3: S3Client;
  private readonly clock: SyncClock;
  private readonly polling: PollPolicy;
  private readonly retry: RetryPolicy;
  private readonly onProgress: (progress: SyncProgress) => void;
  private done = 0;
  private total = 0;
  private resources: SyncedResource[] = [];
  private running = false;

  constructor(options: PersonalizeSyncOptions) {
    this.personalize = options.personalize;
    this.s3 = options.s3;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.polling = { ...DEFAULT_POLL_POLICY, ...options.polling };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.onProgress = options.onProgress ?? (() => undefined);
  }

  /** Brings the plan's dataset group up to date; one run at a time per instance (progress is per run). */
  async run(plan: PersonalizeSyncPlan): Promise<PersonalizeSyncResult> {
    const problems = syncPlanProblems(plan);
    if (problems.length > 0) throw new PersonalizeSyncError(problems.join('; '));
    if (this.running) throw new Error('PersonalizeSync.run is already running on this instance');
    this.running = true;
    try {
      return await this.runPlan(plan);
    } finally {
      this.running = false;
    }
  }

  private async runPlan(plan: PersonalizeSyncPlan): Promise<PersonalizeSyncResult> {
    const withFilter = plan.filter ?? true;
    const datasets = [...plan.datasets];
    this.done = 0;
    this.total = 4 * datasets.length + 8 + (withFilter ? 1 : 0);
    this.resources = [];

    const locations = await this.upload(plan, datasets);
    const datasetGroupArn = await this.datasetGroup(plan.name);
    const schemaArns = new Map<DatasetType, string>();
    for (const d of datasets) schemaArns.set(d.type, await this.schema(`${plan.name}-${lower(d.type)}`, d.schema));
    const datasetArns = new Map<DatasetType, string>();
    for (const d of datasets) {
      datasetArns.set(
        d.type,
        await this.dataset(`${plan.name}-${lower(d.type)}`, d.type, datasetGroupArn, schemaArns.get(d.type) as string),
      );
    }
    // Imports of the three datasets run side by side; training waits for all of them.
    const imported = await settleAll(
      datasets.map((d) =>
        this.importJob(
          `${plan.name}-${lower(d.type)}-${d.sha256.slice(0, 8)}`,
          datasetArns.get(d.type) as string,
          locations.get(d.type) as string,
          plan.roleArn,
        ),
      ),
    );
    const dataReadyAt = Math.max(...imported.map((j) => j.completedAt));

    const solutions = [
      { name: `${plan.name}-user`, recipe: plan.userRecipeArn ?? USER_PERSONALIZATION_RECIPE },
      { name: `${plan.name}-similar`, recipe: plan.similarRecipeArn ?? SIMILAR_ITEMS_RECIPE },
    ];
    const solutionArns: string[] = [];
    for (const s of solutions) solutionArns.push(await this.solution(s.name, s.recipe, datasetGroupArn));
    const versionArns = await settleAll(
      solutions.map((s, i) => this.solutionVersion(s.name, solutionArns[i], dataReadyAt)),
    );
    const [userCampaignArn, similarCampaignArn] = await settleAll(
      solutions.map((s, i) => this.campaign(s.name, solutionArns[i], versionArns[i], plan.minProvisionedTPS ?? 1)),
    );
    const tracker = await this.eventTracker(`${plan.name}-tracker`, datasetGroupArn);
    const filterArn = withFilter ? await this.filter(`${plan.name}-genres`, datasetGroupArn) : null;

    const env: Record<string, string> = {
      RECOMMENDER_PROVIDER: 'personalize',
      PERSONALIZE_REGION: plan.region,
      PERSONALIZE_USER_CAMPAIGN_ARN: userCampaignArn,
      PERSONALIZE_SIMILAR_CAMPAIGN_ARN: similarCampaignArn,
      PERSONALIZE_TRACKING_ID: tracker.trackingId,
      ...(filterArn !== null && { PERSONALIZE_FILTER_ARN: filterArn }),
    };
    return {
      region: plan.region,
      datasetGroupArn,
      userCampaignArn,
      similarCampaignArn,
      eventTrackerArn: tracker.arn,
      trackingId: tracker.trackingId,
      filterArn,
      resources: this.resources,
      env,
      envLines: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    };
  }

  // ---- steps -------------------------------------------------------------------------------

  /** Puts each CSV under the prefix unless an object with the same SHA-256 is already there. */
  private async upload(plan: PersonalizeSyncPlan, datasets: DatasetUpload[]): Promise<Map<DatasetType, string>> {
    const prefix = normalisePrefix(plan.prefix ?? '');
    const out = new Map<DatasetType, string>();
    for (const d of datasets) {
      const key = `${prefix}${d.fileName}`;
      const url = `s3://${plan.bucket}/${key}`;
      const head = await this.headObject(plan.bucket, key);
      const unchanged = head?.Metadata?.['sha256'] === d.sha256 && head.ContentLength === d.size;
      if (!unchanged) {
        await this.call(`upload ${url}`, () =>
          this.s3.send(
            new PutObjectCommand({
              Bucket: plan.bucket,
              Key: key,
              Body: d.body(),
              ContentLength: d.size,
              ContentType: 'text/csv',
              Metadata: { sha256: d.sha256 },
            }),
          ),
        );
      }
      this.record({ kind: 'object', name: key, arn: url, action: unchanged ? 'unchanged' : 'uploaded' });
      out.set(d.type, url);
    }
    return out;
  }

  private async datasetGroup(name: string): Promise<string> {
    const { arn, created, status } = await this.ensure(
      'dataset group',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListDatasetGroupsCommand({ nextToken })).then((o) => ({
              items: o.datasetGroups ?? [],
              nextToken: o.nextToken,
            })),
          ),
          (g) => g.name === name,
          (g) => ({ arn: g.datasetGroupArn, status: g.status }),
        ),
      async () => (await this.personalize.send(new CreateDatasetGroupCommand({ name }))).datasetGroupArn as string,
    );
    if (status !== 'ACTIVE') {
      await this.waitFor(`dataset group ${name}`, async () => {
        const g = (await this.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }))).datasetGroup;
        return { status: g?.status, failureReason: g?.failureReason };
      });
    }
    this.record({ kind: 'dataset-group', name, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  /** Schemas cannot change: an existing one with other fields is an error rather than a silent mismatch. */
  private async schema(name: string, schema: string): Promise<string> {
    const { arn, created } = await this.ensure(
      'schema',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListSchemasCommand({ nextToken })).then((o) => ({
              items: o.schemas ?? [],
              nextToken: o.nextToken,
            })),
          ),
          (s) => s.name === name,
          (s) => ({ arn: s.schemaArn }),
        ),
      async () => (await this.personalize.send(new CreateSchemaCommand({ name, schema }))).schemaArn as string,
    );
    if (!created) {
      const existing = (
        await this.call(`describe schema ${name}`, () =>
          this.personalize.send(new DescribeSchemaCommand({ schemaArn: arn })),
        )
      ).schema?.schema;
      if (existing === undefined || canonicalJson(existing) !== canonicalJson(schema)) {
        throw new PersonalizeSyncError(
          `schema ${name} (${arn}) exists with other fields than this export's; Personalize schemas cannot change, so use another --name or delete the schema and the datasets using it`,
        );
      }
    }
    this.record({ kind: 'schema', name, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  private async dataset(name: string, type: DatasetType, datasetGroupArn: string, schemaArn: string): Promise<string> {
    const { arn, created } = await this.ensure(
      'dataset',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListDatasetsCommand({ datasetGroupArn, nextToken })).then((o) => ({
              items: o.datasets ?? [],
              nextToken: o.nextToken,
            })),
          ),
          // A dataset group holds one dataset per type, whatever it is called.
          (d) => d.datasetType?.toUpperCase() === type,
          (d) => ({ arn: d.datasetArn, status: d.status }),
        ),
      async () =>
        (await this.personalize.send(new CreateDatasetCommand({ name, datasetGroupArn, datasetType: type, schemaArn })))
          .datasetArn as string,
    );
    const described = await this.waitFor(`dataset ${name}`, async () => {
      const d = (await this.personalize.send(new DescribeDatasetCommand({ datasetArn: arn }))).dataset;
      return { status: d?.status, schemaArn: d?.schemaArn };
    });
    if (!created && described.schemaArn !== schemaArn) {
      throw new PersonalizeSyncError(
        `the ${type} dataset ${arn} uses schema ${described.schemaArn}, not ${schemaArn}; use another --name or delete the dataset`,
      );
    }
    this.record({ kind: 'dataset', name, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  /**
   * The dataset's newest import job is reused when it imported this very file (its name carries
   * the file's hash) and did not fail; otherwise a FULL import replaces the dataset's data.
   * Resolves with the time the data became ACTIVE.
   */
  private async importJob(
    baseName: string,
    datasetArn: string,
    location: string,
    roleArn: string,
  ): Promise<{ arn: string; completedAt: number }> {
    const jobs = await this.listAll((nextToken) =>
      this.personalize.send(new ListDatasetImportJobsCommand({ datasetArn, nextToken })).then((o) => ({
        items: o.datasetImportJobs ?? [],
        nextToken: o.nextToken,
      })),
    );
    const latest = newest(jobs);
    let arn: string;
    let name: string;
    let created = false;
    if (
      latest?.jobName !== undefined &&
      latest.datasetImportJobArn !== undefined &&
      (latest.jobName === baseName || latest.jobName.startsWith(`${baseName}-`)) &&
      !FAILED.test(latest.status ?? '')
    ) {
      arn = latest.datasetImportJobArn;
      name = latest.jobName;
    } else {
      const used = new Set(jobs.map((j) => j.jobName));
      name = baseName;
      for (let k = 2; used.has(name); k++) name = `${baseName}-${k}`;
      const jobName = name;
      const result = await this.ensure(
        'import job',
        jobName,
        async () => {
          const again = await this.listAll((nextToken) =>
            this.personalize.send(new ListDatasetImportJobsCommand({ datasetArn, nextToken })).then((o) => ({
              items: o.datasetImportJobs ?? [],
              nextToken: o.nextToken,
            })),
          );
          return find(
            again,
            (j) => j.jobName === jobName,
            (j) => ({ arn: j.datasetImportJobArn, status: j.status }),
          );
        },
        async () =>
          (
            await this.personalize.send(
              new CreateDatasetImportJobCommand({
                jobName,
                datasetArn,
                dataSource: { dataLocation: location },
                roleArn,
                importMode: 'FULL',
              }),
            )
          ).datasetImportJobArn as string,
        // The first lookup was the listing above.
        true,
      );
      arn = result.arn;
      created = result.created;
    }
    const job = await this.waitFor(`import job ${name}`, async () => {
      const j = (await this.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn })))
        .datasetImportJob;
      return { status: j?.status, failureReason: j?.failureReason, lastUpdated: j?.lastUpdatedDateTime };
    });
    this.record({ kind: 'import-job', name, arn, action: created ? 'created' : 'reused' });
    return { arn, completedAt: job.lastUpdated?.getTime() ?? this.clock.now() };
  }

  private async solution(name: string, recipeArn: string, datasetGroupArn: string): Promise<string> {
    let recipeOfExisting: string | undefined;
    const { arn, created, status } = await this.ensure(
      'solution',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListSolutionsCommand({ datasetGroupArn, nextToken })).then((o) => ({
              items: o.solutions ?? [],
              nextToken: o.nextToken,
            })),
          ),
          (s) => s.name === name,
          (s) => {
            recipeOfExisting = s.recipeArn;
            return { arn: s.solutionArn, status: s.status };
          },
        ),
      async () =>
        (
          await this.personalize.send(
            // Training is this command's job: automatic training would bill a new version every week.
            new CreateSolutionCommand({ name, datasetGroupArn, recipeArn, performAutoTraining: false }),
          )
        ).solutionArn as string,
    );
    if (!created && recipeOfExisting !== undefined && recipeOfExisting !== recipeArn) {
      throw new PersonalizeSyncError(
        `solution ${name} uses recipe ${recipeOfExisting}, not ${recipeArn}; use another --name or delete the solution`,
      );
    }
    if (status !== 'ACTIVE') {
      await this.waitFor(`solution ${name}`, async () => {
        const s = (await this.personalize.send(new DescribeSolutionCommand({ solutionArn: arn }))).solution;
        return { status: s?.status };
      });
    }
    this.record({ kind: 'solution', name, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  /** The newest version is kept when it was started after the data was imported; otherwise a FULL retrain. */
  private async solutionVersion(solutionName: string, solutionArn: string, dataReadyAt: number): Promise<string> {
    const versions = await this.listAll((nextToken) =>
      this.personalize.send(new ListSolutionVersionsCommand({ solutionArn, nextToken })).then((o) => ({
        items: o.solutionVersions ?? [],
        nextToken: o.nextToken,
      })),
    );
    const latest = newest(versions);
    let arn: string;
    let created = false;
    if (
      latest?.solutionVersionArn !== undefined &&
      !FAILED.test(latest.status ?? '') &&
      (latest.creationDateTime?.getTime() ?? 0) >= dataReadyAt
    ) {
      arn = latest.solutionVersionArn;
    } else {
      arn = (
        await this.call(`create solution version of ${solutionName}`, () =>
          this.personalize.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode: 'FULL' })),
        )
      ).solutionVersionArn as string;
      created = true;
    }
    await this.waitFor(`solution version ${arn} of ${solutionName}`, async () => {
      const v = (await this.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn: arn })))
        .solutionVersion;
      return { status: v?.status, failureReason: v?.failureReason };
    });
    this.record({ kind: 'solution-version', name: solutionName, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  /** Creates the campaign, or points an existing one at the new solution version. */
  private async campaign(name: string, solutionArn: string, solutionVersionArn: string, tps: number): Promise<string> {
    const { arn, created } = await this.ensure(
      'campaign',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListCampaignsCommand({ solutionArn, nextToken })).then((o) => ({
              items: o.campaigns ?? [],
              nextToken: o.nextToken,
            })),
          ),
          (c) => c.name === name,
          (c) => ({ arn: c.campaignArn, status: c.status }),
        ),
      async () =>
        (await this.personalize.send(new CreateCampaignCommand({ name, solutionVersionArn, minProvisionedTPS: tps })))
          .campaignArn as string,
    );
    const describe = async () =>
      (await this.personalize.send(new DescribeCampaignCommand({ campaignArn: arn }))).campaign ?? {};
    // Let a creation or an earlier update finish first: an update cannot start while another runs.
    const settled = await this.waitFor(`campaign ${name}`, async () => campaignState(await describe(), true));
    let action: SyncAction = created ? 'created' : 'reused';
    if (deployedVersion(settled.campaign) !== solutionVersionArn) {
      await this.call(`update campaign ${name}`, () =>
        this.personalize.send(new UpdateCampaignCommand({ campaignArn: arn, solutionVersionArn })),
      );
      await this.waitFor(`campaign ${name} update`, async () => campaignState(await describe(), false));
      action = 'updated';
    }
    this.record({ kind: 'campaign', name, arn, action });
    return arn;
  }

  /** A dataset group has at most one event tracker: an existing one is used whatever its name. */
  private async eventTracker(name: string, datasetGroupArn: string): Promise<{ arn: string; trackingId: string }> {
    let trackingId: string | undefined;
    const { arn, created } = await this.ensure(
      'event tracker',
      name,
      async () => {
        const trackers = await this.listAll((nextToken) =>
          this.personalize.send(new ListEventTrackersCommand({ datasetGroupArn, nextToken })).then((o) => ({
            items: o.eventTrackers ?? [],
            nextToken: o.nextToken,
          })),
        );
        const tracker = trackers.find((t) => t.name === name) ?? trackers[0];
        return tracker?.eventTrackerArn ? { arn: tracker.eventTrackerArn, status: tracker.status } : undefined;
      },
      async () => {
        const out = await this.personalize.send(new CreateEventTrackerCommand({ name, datasetGroupArn }));
        trackingId = out.trackingId;
        return out.eventTrackerArn as string;
      },
    );
    const described = await this.waitFor(`event tracker ${name}`, async () => {
      const t = (await this.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: arn }))).eventTracker;
      return { status: t?.status, trackingId: t?.trackingId };
    });
    trackingId = described.trackingId ?? trackingId;
    if (!trackingId) throw new PersonalizeSyncError(`event tracker ${arn} has no tracking id`);
    this.record({ kind: 'event-tracker', name, arn, action: created ? 'created' : 'reused' });
    return { arn, trackingId };
  }

  private async filter(name: string, datasetGroupArn: string): Promise<string> {
    const { arn, created, status } = await this.ensure(
      'filter',
      name,
      async () =>
        find(
          await this.listAll((nextToken) =>
            this.personalize.send(new ListFiltersCommand({ datasetGroupArn, nextToken })).then((o) => ({
              items: o.Filters ?? [],
              nextToken: o.nextToken,
            })),
          ),
          (f) => f.name === name,
          (f) => ({ arn: f.filterArn, status: f.status }),
        ),
      async () =>
        (
          await this.personalize.send(
            new CreateFilterCommand({ name, datasetGroupArn, filterExpression: GENRE_FILTER_EXPRESSION }),
          )
        ).filterArn as string,
    );
    if (status !== 'ACTIVE') {
      await this.waitFor(`filter ${name}`, async () => {
        const f = (await this.personalize.send(new DescribeFilterCommand({ filterArn: arn }))).filter;
        return { status: f?.status, failureReason: f?.failureReason };
      });
    }
    this.record({ kind: 'filter', name, arn, action: created ? 'created' : 'reused' });
    return arn;
  }

  // ---- machinery ---------------------------------------------------------------------------

  /**
   * Finds a resource by name, or creates it. When a create loses a race with another creator
   * (ResourceAlreadyExistsException), the winner's resource is looked up and used.
   */
  private async ensure(
    kind: string,
    name: string,
    lookup: () => Promise<Found | undefined>,
    create: () => Promise<string>,
    skipFirstLookup = false,
  ): Promise<{ arn: string; created: boolean; status?: string }> {
    const label = `${kind} ${name}`;
    if (!skipFirstLookup) {
      const existing = await this.call(`find ${label}`, lookup);
      if (existing) return { ...existing, created: false };
    }
    try {
      return { arn: await this.call(`create ${label}`, create), created: true };
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceAlreadyExistsException') throw error;
      const winner = await this.call(`find ${label}`, lookup);
      if (!winner) {
        throw new PersonalizeSyncError(
          `${label} already exists but was not found by name: ${(error as Error).message}`,
        );
      }
      return { ...winner, created: false };
    }
  }

  /** One API call (or a short sequence of them) with throttling retried. */
  private call<T>(what: string, op: () => Promise<T>): Promise<T> {
    return retryThrottled(op, this.retry, this.clock, (error, attempt, delayMs) =>
      this.progress(
        `${what}: throttled (${(error as Error).name}), retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`,
      ),
    );
  }

  /**
   * Polls `describe` until the status is ACTIVE (resolving with the last answer), failing on a
   * failed status with Personalize's reason and after `maxWaitMs`.
   */
  private async waitFor<T extends Described>(label: string, describe: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      const state = await this.call(`describe ${label}`, describe);
      const status = state.status ?? 'UNKNOWN';
      if (status === 'ACTIVE') return state;
      if (FAILED.test(status)) {
        throw new PersonalizeSyncError(`${label} is ${status}: ${state.failureReason ?? 'Personalize gave no reason'}`);
      }
      const waited = this.clock.now() - started;
      if (waited >= this.polling.maxWaitMs) {
        throw new PersonalizeSyncError(
          `${label} is still ${status} after ${formatDuration(waited)} (the limit); ` +
            'run the same sync again later to pick up where this one stopped',
        );
      }
      const delay = Math.min(pollDelay(attempt, this.polling, this.clock.random), this.polling.maxWaitMs - waited);
      this.progress(`waiting for ${label}: ${status} after ${formatDuration(waited)}`);
      await this.clock.sleep(delay);
    }
  }

  private async listAll<T>(page: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const { items, nextToken } = await page(token);
      out.push(...items);
      token = nextToken;
    } while (token);
    return out;
  }

  private async headObject(bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.call(`head s3://${bucket}/${key}`, () =>
        this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      );
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  private record(resource: SyncedResource): void {
    this.resources.push(resource);
    this.done++;
    const kind = resource.kind.replace('-', ' ');
    this.progress(`${kind} ${resource.name}: ${resource.action}`);
  }

  private progress(message: string): void {
    this.onProgress({ done: this.done, total: this.total, message });
  }
}

/**
 * Promise.all that lets every branch finish before failing: a failed import must not leave the
 * other imports' polling running on after the sync has returned. Several failures are reported together.
 */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new PersonalizeSyncError(failures.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** A campaign's status for waiting: creation first, then the latest update. */
function campaignState(c: Campaign, settleOnly: boolean): Described & { campaign: Campaign } {
  if (c.status !== 'ACTIVE') return { status: c.status, failureReason: c.failureReason, campaign: c };
  const update = c.latestCampaignUpdate;
  if (!update?.status || update.status === 'ACTIVE') return { status: 'ACTIVE', campaign: c };
  // Before deciding on an update, a failed earlier update only means the old version still serves.
  if (settleOnly && !IN_PROGRESS.test(update.status)) return { status: 'ACTIVE', campaign: c };
  return { status: update.status, failureReason: update.failureReason, campaign: c };
}

/** The solution version a campaign serves (or is being moved to by an update in progress). */
function deployedVersion(c: Campaign): string | undefined {
  const update = c.latestCampaignUpdate;
  if (update?.solutionVersionArn && update.status === 'ACTIVE') return update.solutionVersionArn;
  return c.solutionVersionArn;
}

function find<T>(items: T[], match: (item: T) => boolean, pick: (item: T) => { arn?: string; status?: string }) {
  const item = items.find(match);
  if (item === undefined) return undefined;
  const { arn, status } = pick(item);
  return arn ? { arn, status } : undefined;
}

function newest<T extends { creationDateTime?: Date }>(items: T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (best === undefined || (item.creationDateTime?.getTime() ?? 0) > (best.creationDateTime?.getTime() ?? 0))
      best = item;
  }
  return best;
}

function lower(type: DatasetType): string {
  return type.toLowerCase();
}

/** '' stays ''; anything else loses leading slashes and gains one trailing slash. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function canonicalJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
