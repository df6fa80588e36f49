/**
 * Synthesizes the real app (the same buildApp as `cdk synth`) with bundling skipped, so infra tests
 * take seconds instead of running esbuild for every function. Also small helpers to follow
 * references through the raw templates, including imports across stacks.
 */
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp, type RelaydeskStacks } from '../../infra/stacks/index.ts';

/** A template resource; `Properties` is always present (empty when the template omits it). */
export type Resource = { Type: string; Properties: Record<string, unknown>; [key: string]: unknown };

const withProperties = (resource: Omit<Resource, 'Properties'> & { Properties?: Record<string, unknown> }) =>
  ({ ...resource, Properties: resource.Properties ?? {} }) as Resource;
export type StackName = keyof RelaydeskStacks;

export interface Synthesized {
  stacks: RelaydeskStacks;
  templates: Record<StackName, Template>;
  /** Every resource of every stack, with the stack it lives in. */
  resources: { stack: StackName; logicalId: string; resource: Resource }[];
  /** Where the cloud assembly (templates, validation-report.json) was written. */
  assemblyDirectory: string;
}

export interface SynthesizeOptions {
  context?: Record<string, unknown>;
  /**
   * Run CDK's built-in CloudFormation schema validation (a WebAssembly engine, several seconds per
   * synth). Off by default so each test file stays fast; one test turns it on for the whole app.
   */
  validate?: boolean;
}

export const synthesize = ({ context = {}, validate = false }: SynthesizeOptions = {}): Synthesized => {
  // An empty bundling-stacks list makes NodejsFunction skip esbuild (it still checks entries exist).
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: validate,
  });
  const stacks = buildApp(app);
  const templates = {
    data: Template.fromStack(stacks.data),
    ops: Template.fromStack(stacks.ops),
    mail: Template.fromStack(stacks.mail),
    api: Template.fromStack(stacks.api),
    events: Template.fromStack(stacks.events),
    monitoring: Template.fromStack(stacks.monitoring),
  };
  const resources = (Object.keys(templates) as StackName[]).flatMap((stack) =>
    Object.entries(templates[stack].toJSON().Resources as Record<string, Resource>).map(
      ([logicalId, resource]) => ({ stack, logicalId, resource: withProperties(resource) }),
    ),
  );
  return { stacks, templates, resources, assemblyDirectory: app.synth().directory };
};

export const resourcesOfType = (
  template: Template,
  type: string,
): [logicalId: string, resource: Resource][] =>
  Object.entries(template.findResources(type) as Record<string, Resource>).map(([id, resource]) => [
    id,
    withProperties(resource),
  ]);

/** One resource by logical id; throws when the template has none, so a broken reference fails loudly. */
export const resourceById = (template: Template, logicalId: string | undefined): Resource => {
  const resource = logicalId
    ? (template.toJSON().Resources as Record<string, Resource>)[logicalId]
    : undefined;
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return withProperties(resource);
};

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` → id (and attribute); anything else → undefined. */
export const referencedId = (value: unknown): { id: string; attribute?: string } | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return { id: ref };
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return { id: getAtt[0], attribute: String(getAtt[1]) };
  }
  return undefined;
};

/**
 * Follows an `Fn::ImportValue` to the output of the producing stack that exports it, and returns what
 * that output references (`{ Ref }` or `{ Fn::GetAtt }` in the producer), so a test can tell which
 * table, stream, bus or topic a consumer stack really points at.
 */
export const resolveImport = (
  value: unknown,
  producer: Template,
): { id: string; attribute?: string } | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const exportName = (value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  if (typeof exportName !== 'string') return undefined;
  const outputs = producer.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const output = Object.values(outputs ?? {}).find((candidate) => candidate.Export?.Name === exportName);
  return output ? referencedId(output.Value) : undefined;
};

/** The function whose description names this entry (RelaydeskFunction writes `... (functions/x.ts)`). */
export const functionForEntry = (template: Template, entry: string): [string, Resource] => {
  const matches = resourcesOfType(template, 'AWS::Lambda::Function').filter(([, fn]) =>
    String(fn.Properties.Description ?? '').endsWith(`(${entry})`),
  );
  if (matches.length !== 1) throw new Error(`expected one function for ${entry}, found ${matches.length}`);
  return matches[0] as [string, Resource];
};

/** The logical id of an L2 construct's CloudFormation resource, for following references to it. */
export const logicalIdOf = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
};

/**
 * Every resource a value points at, wherever it lives: `Ref`/`Fn::GetAtt` in its own stack, and
 * `Fn::ImportValue` followed to the stack that exports it. Looks inside `Fn::Join`, `Fn::Sub` and
 * lists, so an ARN built from a bucket's ARN (`<arn>/*`) still names the bucket.
 */
export const referencedResources = (
  synth: Synthesized,
  stack: StackName,
  value: unknown,
): { stack: StackName; id: string }[] => {
  const found: { stack: StackName; id: string }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const local = referencedId(node);
    if (local && !local.id.startsWith('AWS::')) {
      found.push({ stack, id: local.id });
      return;
    }
    const exportName = (node as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
    if (typeof exportName === 'string') {
      for (const producer of Object.keys(synth.templates) as StackName[]) {
        const target = resolveImport(node, synth.templates[producer]);
        if (target) found.push({ stack: producer, id: target.id });
      }
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
  return found;
};
