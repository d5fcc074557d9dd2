-- Customers per engagement × purchase persona (domain/personas.ts PersonaCounts), computed once per full run.
ALTER TABLE "ScoringRun" ADD COLUMN "personas" JSONB;
