import { BG_NBD, MBG_NBD } from "./bgnbd";
import type { ModelName, TransactionModel } from "./model";
import { PARETO_NBD } from "./pareto";

/** Every purchase model by name (the CLI's --model, the app's stored PredictionRun.model). */
export const TRANSACTION_MODELS: Record<ModelName, TransactionModel> = {
  bgnbd: BG_NBD,
  mbgnbd: MBG_NBD,
  pareto: PARETO_NBD,
};
