import {
  getNamedType,
  isCompositeType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

export const SINGLE_QUERY_MAX_COST = 1000;
export const MUTATION_COST = 10;

export type ShopPlan = "standard" | "advanced" | "plus" | "enterprise";

/** Restore rate in points/second per plan; the bucket holds ten seconds' worth. */
export const RESTORE_RATE: Record<ShopPlan, number> = { standard: 100, advanced: 200, plus: 1000, enterprise: 2000 };

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function isConnection(type: GraphQLCompositeType): boolean {
  return type.name.endsWith("Connection");
}

function argValue(
  ctx: CostContext,
  node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] },
  name: string,
): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return valueFromASTUntyped(arg.value, ctx.variables);
}

/**
 * Shopify's query cost: scalars and enums 0, objects 1, connections
 * 2 + (first|last) × the cost of one item, mutations 10. With `data`, the
 * connection sizes are the ones actually returned (the actual cost).
 */
function selectionCost(
  ctx: CostContext,
  type: GraphQLCompositeType,
  set: SelectionSetNode,
  data: unknown,
  useData: boolean,
): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? ctx.fragments[selection.name.value] : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? ctx.schema.getType(fragment.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition))
        total += selectionCost(ctx, condition, fragment.selectionSet, data, useData);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith("__")) continue;
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    const field = fields[name];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named) || !selection.selectionSet || !isCompositeType(named)) continue;
    const key = selection.alias?.value ?? name;
    const value = data && typeof data === "object" ? (data as Record<string, unknown>)[key] : undefined;

    if (isConnection(named)) {
      const requested = Number(argValue(ctx, selection, "first") ?? argValue(ctx, selection, "last") ?? 0);
      const items = connectionItems(value);
      const size = useData ? items.length : requested;
      const perItem = connectionItemCost(ctx, named, selection.selectionSet, useData ? items : [], useData);
      total += 2 + size * perItem;
    } else if (Array.isArray(value) && useData) {
      for (const item of value) total += 1 + selectionCost(ctx, named, selection.selectionSet, item, useData);
    } else {
      if (useData && (value === null || value === undefined)) continue;
      total += 1 + selectionCost(ctx, named, selection.selectionSet, value, useData);
    }
  }
  return total;
}

function connectionItems(value: unknown): unknown[] {
  if (!value || typeof value !== "object") return [];
  const v = value as { edges?: unknown[]; nodes?: unknown[] };
  return v.edges ?? v.nodes ?? [];
}

/** Cost of one item of a connection: its node object and the node's own selections. */
function connectionItemCost(
  ctx: CostContext,
  type: GraphQLCompositeType,
  set: SelectionSetNode,
  items: unknown[],
  useData: boolean,
): number {
  const fields = isObjectType(type) ? type.getFields() : {};
  let perItem = 0;
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
    const name = selection.name.value;
    if (name !== "edges" && name !== "nodes") continue;
    const itemType = getNamedType(fields[name]?.type);
    if (!itemType || !isCompositeType(itemType)) continue;
    if (name === "nodes") {
      const sample = useData ? items[0] : undefined;
      perItem = Math.max(perItem, 1 + selectionCost(ctx, itemType, selection.selectionSet, sample, false));
    } else {
      // edges { node { … } }: the node is the object that costs 1.
      const edgeFields = isObjectType(itemType) ? itemType.getFields() : {};
      for (const edgeSel of selection.selectionSet.selections) {
        if (edgeSel.kind !== Kind.FIELD || edgeSel.name.value !== "node" || !edgeSel.selectionSet) continue;
        const nodeType = getNamedType(edgeFields.node?.type);
        if (nodeType && isCompositeType(nodeType)) {
          perItem = Math.max(perItem, 1 + selectionCost(ctx, nodeType, edgeSel.selectionSet, undefined, false));
        }
      }
    }
  }
  return perItem;
}

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: unknown,
): number {
  const ctx: CostContext = { schema, fragments, variables };
  if (operation.operation === "mutation") {
    return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length * MUTATION_COST;
  }
  const root = schema.getQueryType();
  if (!root) return 0;
  return selectionCost(ctx, root, operation.selectionSet, data, data !== undefined);
}

/** Shopify's leaky bucket: points drain per request and refill at the restore rate. */
export class LeakyBucket {
  private available: number;
  private updatedAt: number;
  readonly maximum: number;

  constructor(
    readonly restoreRate: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.maximum = restoreRate * 10;
    this.available = this.maximum;
    this.updatedAt = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.available = Math.min(this.maximum, this.available + ((t - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = t;
  }

  currentlyAvailable(): number {
    this.refill();
    return Math.floor(this.available);
  }

  /** Takes `cost` points if there are that many; false means THROTTLED. */
  tryTake(cost: number): boolean {
    this.refill();
    if (this.available < cost) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back what a query was charged above its actual cost. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximum, this.available + Math.max(0, points));
  }

  status() {
    return {
      maximumAvailable: this.maximum,
      currentlyAvailable: this.currentlyAvailable(),
      restoreRate: this.restoreRate,
    };
  }
}
