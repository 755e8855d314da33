"""`make bench`: the pipeline measured against its own limits, in one run, on the local stack.

On one corpus of real pages (see `corpus`), one after the other:
1. the raw limits — aiokafka producing and consuming the raw payloads; later, spaCy `nlp.pipe`
   on the enricher's texts and `helpers.async_bulk` of the indexer's documents;
2. each stage alone against its input topic already filled, with its CPU seconds per article
   (psutil on the stage process) and those Kafka and Elasticsearch spent meanwhile;
3. the whole pipeline (`newsflow run all`) with one, then two enricher workers;
4. publish→searchable latency at half the best rate of step 3;
and the peak RSS of every stage process throughout. It prints a table, `ratio NAME VALUE` and
`latency p95 SECONDS` lines, and writes bench-results.json and a chart.
"""
