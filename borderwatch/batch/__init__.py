"""Batch runs over large archives: the pipeline's own stage functions mapped over Spark partitions."""

from borderwatch.batch.spark import BatchSummary, run_batch, start_session

__all__ = ["BatchSummary", "run_batch", "start_session"]
