-- The hand-written one-pass DuckDB baseline of the scoring benchmark (bench/score.py).
--
-- What a skilled DuckDB user writes for the targets the benchmark's knowledge base scores (bench/synth.py):
-- one scan per table straight from the Parquet files, every target on that table as a conditional aggregate,
-- durations as epoch arithmetic (microseconds), local time from a small per-zone table of UTC offsets by UTC day
-- (a daylight-saving zone stays right across its changes), months and PRC working days from one calendar table
-- (chinese-calendar). bench/baseline.py builds the three small tables, replaces {data} by the data folder and runs
-- the statements below in order; the last one returns one row per store and month.
--
-- Small tables (built by bench/baseline.py):
--   stores(store_id, zone, as_of_us, as_of_day, as_of_month, as_of_cum): every scored store, its zone code and
--     as-of instant (UTC epoch microseconds), the as-of's local day (days since 1970-01-01), month (months since
--     1970-01) and running count of working days;
--   offsets(zone, day, off_us, switch_us, off_after_us): UTC offset of a zone on a UTC day (days since the epoch):
--     `off_us` from the day's start, `off_after_us` from `switch_us` on (a daylight-saving change that day);
--   cal(d, month, cum, due_3wd): every day from the data's first year to the last year chinese-calendar knows: its
--     month, the running count of working days up to it, and the day that ends the 3rd working day after it
--     (NULL beyond the known years).
--
-- Column names of the result: `<metric> [<population filters>] [<deadline>]`, one struct per target.

CREATE OR REPLACE MACRO hour_us() AS 3600000000;

-- Local wall-clock µs of a UTC instant `us`, given the offsets row of its zone and UTC day.
CREATE OR REPLACE MACRO local_us(us, off_us, switch_us, off_after_us) AS
    us + CASE WHEN us >= switch_us THEN off_after_us ELSE off_us END;

CREATE OR REPLACE MACRO day_us() AS 86400000000;

-- Calendar deadlines, in two steps. Per population and clock (`done`: answered by the as-of time; `el`: elapsed µs
-- to the answer, or to the as-of time while unanswered), once: answered and open events, the longest elapsed time.
CREATE OR REPLACE MACRO clock(pop, done, el) AS struct_pack(
    done := count_if(pop AND done),
    open := count_if(pop AND NOT done),
    max_el := max(CASE WHEN pop THEN el END)
);

-- Per threshold: breaches (more than `thr` elapsed, answered or not) and, of them, the unanswered (overdue).
CREATE OR REPLACE MACRO over(pop, done, el, thr) AS struct_pack(
    breaches := count_if(pop AND el > thr),
    overdue := count_if(pop AND NOT done AND el > thr)
);

-- The target's figures: decided events (answered, or overdue), attainment in percent of them, breaches, pending
-- (open and within the deadline), the worst delay in `unit` (the longest elapsed time past the threshold).
CREATE OR REPLACE MACRO deadline(c, o, thr, unit) AS struct_pack(
    value := 100.0 * (c.done + o.overdue - o.breaches) / nullif(c.done + o.overdue, 0),
    n := c.done + o.overdue,
    breaches := o.breaches,
    pending := c.open - o.overdue,
    worst_delay := CASE WHEN c.max_el > thr THEN (c.max_el - thr) / unit END
);

-- A share of satisfied answers with its 95 % Wilson interval (z = 1.959963984540054), in percent.
-- No interval without answers: DuckDB's greatest and least skip a NULL, so the CASE keeps it NULL.
CREATE OR REPLACE MACRO wilson(x, n, sign) AS CASE WHEN n > 0 THEN
    greatest(0.0, least(1.0,
        ((x / n + 1.959963984540054 ^ 2 / (2 * n))
         + sign * 1.959963984540054 * sqrt((x / n) * (1 - x / n) / n + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n))) END;

CREATE OR REPLACE MACRO share(pop, score, threshold) AS struct_pack(
    value := 100.0 * count_if(pop AND score >= threshold) / nullif(count_if(pop AND score IS NOT NULL), 0),
    n := count_if(pop AND score IS NOT NULL),
    ci_low := 100.0 * wilson(count_if(pop AND score >= threshold)::DOUBLE,
                             nullif(count_if(pop AND score IS NOT NULL), 0)::DOUBLE, -1),
    ci_high := 100.0 * wilson(count_if(pop AND score >= threshold)::DOUBLE,
                              nullif(count_if(pop AND score IS NOT NULL), 0)::DOUBLE, 1)
);

-- A ratio of two sums over the same rows, in percent; no value when a row lacks a figure or the denominator is 0.
CREATE OR REPLACE MACRO ratio(num, den) AS struct_pack(
    value := CASE WHEN count_if(num IS NULL OR den IS NULL) = 0 AND sum(den) <> 0
                  THEN 100.0 * sum(num) / sum(den) END,
    n := count(*)
);

WITH
tickets AS (
    SELECT
        s.store_id,
        c.month,
        t.kind = 'complaint' AS complaint,
        t.kind = 'consultation' AS consultation,
        t.kind = 'feedback' AS feedback,
        t.kind = 'repair' AS repair,
        t.kind = 'return_exchange' AS return_exchange,
        coalesce(t.severity, 'normal') = 'major' AS major,
        coalesce(t.in_warranty, FALSE) AS warranty,
        t.channel,
        coalesce(t.category = 'vip-fitting-appointment', FALSE) AS vip,
        epoch_us(t.first_response_at) IS NOT NULL AND epoch_us(t.first_response_at) <= s.as_of_us AS responded,
        CASE WHEN epoch_us(t.first_response_at) <= s.as_of_us
             THEN epoch_us(t.first_response_at) ELSE s.as_of_us END - epoch_us(t.opened_at) AS to_response,
        epoch_us(t.resolved_at) IS NOT NULL AND epoch_us(t.resolved_at) <= s.as_of_us AS resolved,
        CASE WHEN epoch_us(t.resolved_at) <= s.as_of_us
             THEN epoch_us(t.resolved_at) ELSE s.as_of_us END - epoch_us(t.opened_at) AS to_resolution,
        -- Working days: the local day of the resolution (feedback only) against the 3rd working day after opening.
        c.cum AS opened_cum,
        c.due_3wd,
        local_us(epoch_us(t.resolved_at), r_off.off_us, r_off.switch_us, r_off.off_after_us) // day_us()
            AS resolved_day,
        r_cal.cum AS resolved_cum,
        s.as_of_day,
        s.as_of_cum
    FROM read_parquet('{data}/tickets.parquet') AS t
    JOIN stores AS s ON s.store_id = t.store_id
    JOIN offsets AS o_off ON o_off.zone = s.zone AND o_off.day = epoch_us(t.opened_at) // day_us()
    JOIN cal AS c
        ON c.d = local_us(epoch_us(t.opened_at), o_off.off_us, o_off.switch_us, o_off.off_after_us) // day_us()
    LEFT JOIN offsets AS r_off
        ON r_off.zone = s.zone
        AND r_off.day = CASE WHEN t.kind = 'feedback' THEN epoch_us(t.resolved_at) // day_us() END
    LEFT JOIN cal AS r_cal
        ON r_cal.d = local_us(epoch_us(t.resolved_at), r_off.off_us, r_off.switch_us, r_off.off_after_us) // day_us()
    WHERE epoch_us(t.opened_at) <= s.as_of_us
),
ticket_cells AS (
    SELECT
        store_id,
        month,
        count_if(complaint) AS complaints,
        struct_pack(
            value := 100.0 * count_if(resolved) / count(*),
            n := count(*)
        ) AS "problem-resolution-rate",
        -- One clock per population and end column, one pair of counts per threshold.
        clock(complaint, responded, to_response) AS complaint_fr,
        over(complaint, responded, to_response, 24 * hour_us()) AS complaint_fr_24h,
        over(complaint, responded, to_response, 12 * hour_us()) AS complaint_fr_12h,
        over(complaint, responded, to_response, 2 * hour_us()) AS complaint_fr_2h,
        clock(complaint, resolved, to_resolution) AS complaint_rs,
        over(complaint, resolved, to_resolution, 48 * hour_us()) AS complaint_rs_48h,
        over(complaint, resolved, to_resolution, 24 * hour_us()) AS complaint_rs_24h,
        clock(consultation AND channel = 'in_store', responded, to_response) AS consult_store_fr,
        over(consultation AND channel = 'in_store', responded, to_response, 30 * 1000000) AS consult_store_fr_30s,
        clock(consultation AND channel IN ('online', 'phone'), responded, to_response) AS consult_remote_fr,
        over(consultation AND channel IN ('online', 'phone'), responded, to_response, 24 * hour_us())
            AS consult_remote_fr_24h,
        clock(consultation AND vip, responded, to_response) AS consult_vip_fr,
        over(consultation AND vip, responded, to_response, 2 * hour_us()) AS consult_vip_fr_2h,
        clock(return_exchange, resolved, to_resolution) AS return_rs,
        over(return_exchange, resolved, to_resolution, 24 * hour_us()) AS return_rs_24h,
        clock(TRUE, responded, to_response) AS any_fr,
        over(TRUE, responded, to_response, 24 * hour_us()) AS any_fr_24h,
        clock(repair, resolved, to_resolution) AS repair_rs,
        over(repair, resolved, to_resolution, 72 * hour_us()) AS repair_rs_72h,
        clock(repair AND warranty, resolved, to_resolution) AS warranty_rs,
        over(repair AND warranty, resolved, to_resolution, 72 * hour_us()) AS warranty_rs_72h,
        clock(repair AND major, responded, to_response) AS major_fr,
        over(repair AND major, responded, to_response, 24 * hour_us()) AS major_fr_24h,
        clock(repair, responded, to_response) AS repair_fr,
        over(repair, responded, to_response, 72 * hour_us()) AS repair_fr_72h,
        over(repair, responded, to_response, 48 * hour_us()) AS repair_fr_48h,
        clock(repair AND warranty, responded, to_response) AS warranty_fr,
        over(repair AND warranty, responded, to_response, 24 * hour_us()) AS warranty_fr_24h,
        -- Working days: late when resolved on a local day after the due day, overdue when unresolved and the as-of
        -- day is after it; the delay counts working days past the due day (whose running count is opened_cum + 3).
        struct_pack(
            value := 100.0 * count_if(feedback AND resolved AND NOT coalesce(resolved_day > due_3wd, FALSE))
                / nullif(count_if(feedback AND (resolved OR coalesce(as_of_day > due_3wd, FALSE))), 0),
            n := count_if(feedback AND (resolved OR coalesce(as_of_day > due_3wd, FALSE))),
            breaches := count_if(
                feedback AND coalesce(CASE WHEN resolved THEN resolved_day ELSE as_of_day END > due_3wd, FALSE)
            ),
            pending := count_if(feedback AND NOT resolved AND NOT coalesce(as_of_day > due_3wd, FALSE)),
            worst_delay := max(CASE
                WHEN feedback AND resolved AND resolved_day > due_3wd THEN resolved_cum - opened_cum - 3
                WHEN feedback AND NOT resolved AND as_of_day > due_3wd THEN as_of_cum - opened_cum - 3
            END)
        ) AS "feedback-resolution-time <= 3 working_day"
    FROM tickets
    GROUP BY store_id, month
),
survey_cells AS (
    SELECT
        s.store_id,
        c.month,
        share(t.topic = 'overall', t.csat_score, 4) AS "customer-satisfaction topic=overall",
        share(t.topic = 'display', t.csat_score, 4) AS "customer-satisfaction topic=display"
    FROM read_parquet('{data}/surveys.parquet') AS t
    JOIN stores AS s ON s.store_id = t.store_id
    JOIN offsets AS o_off ON o_off.zone = s.zone AND o_off.day = epoch_us(t.answered_at) // day_us()
    JOIN cal AS c
        ON c.d = local_us(epoch_us(t.answered_at), o_off.off_us, o_off.switch_us, o_off.off_after_us) // day_us()
    WHERE epoch_us(t.answered_at) <= s.as_of_us
    GROUP BY s.store_id, c.month
),
period_cells AS (
    SELECT
        s.store_id,
        (CAST(substr(t.period, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(t.period, 6, 2) AS INTEGER) - 1 AS month,
        count(*) AS period_rows,
        sum(t.transactions) AS transactions,
        count_if(t.transactions IS NULL) AS transactions_missing,
        ratio(t.display_cost, t.total_cost) AS "display-cost-share",
        ratio(t.display_zone_visitors, t.visitors) AS "display-zone-traffic-share",
        ratio(t.inventory_book_value - t.inventory_counted_value, t.inventory_book_value) AS "inventory-shrinkage",
        ratio(t.staff_trained, t.staff_count) AS "training-coverage"
    FROM read_parquet('{data}/store_periods.parquet') AS t
    JOIN stores AS s ON s.store_id = t.store_id
    WHERE (CAST(substr(t.period, 1, 4) AS INTEGER) - 1970) * 12 + CAST(substr(t.period, 6, 2) AS INTEGER) - 1
        <= s.as_of_month
    GROUP BY ALL
)
SELECT
    store_id,
    month,
    k."problem-resolution-rate",
    k."feedback-resolution-time <= 3 working_day",
    deadline(complaint_fr, complaint_fr_24h, 24 * hour_us(), hour_us()) AS "complaint-first-response-time <= 24 hour",
    deadline(complaint_fr, complaint_fr_12h, 12 * hour_us(), hour_us()) AS "complaint-first-response-time <= 12 hour",
    deadline(complaint_fr, complaint_fr_2h, 2 * hour_us(), hour_us()) AS "complaint-first-response-time <= 2 hour",
    deadline(complaint_rs, complaint_rs_48h, 48 * hour_us(), hour_us()) AS "complaint-resolution-time <= 48 hour",
    deadline(complaint_rs, complaint_rs_24h, 24 * hour_us(), hour_us()) AS "complaint-resolution-time <= 24 hour",
    deadline(consult_store_fr, consult_store_fr_30s, 30 * 1000000, 1000000)
        AS "consultation-response-time channel=in_store <= 30 second",
    deadline(consult_remote_fr, consult_remote_fr_24h, 24 * hour_us(), hour_us())
        AS "consultation-response-time channel=online+phone <= 24 hour",
    deadline(consult_vip_fr, consult_vip_fr_2h, 2 * hour_us(), hour_us())
        AS "consultation-response-time category=vip-fitting-appointment <= 2 hour",
    deadline(return_rs, return_rs_24h, 24 * hour_us(), hour_us()) AS "return-exchange-processing-time <= 24 hour",
    deadline(any_fr, any_fr_24h, 24 * hour_us(), hour_us()) AS "service-response-time <= 24 hour",
    deadline(repair_rs, repair_rs_72h, 72 * hour_us(), hour_us()) AS "repair-completion-time <= 72 hour",
    deadline(warranty_rs, warranty_rs_72h, 72 * hour_us(), hour_us())
        AS "repair-completion-time in_warranty=True <= 72 hour",
    deadline(major_fr, major_fr_24h, 24 * hour_us(), hour_us()) AS "repair-response-time severity=major <= 24 hour",
    deadline(repair_fr, repair_fr_72h, 72 * hour_us(), hour_us()) AS "repair-response-time <= 72 hour",
    deadline(repair_fr, repair_fr_48h, 48 * hour_us(), hour_us()) AS "repair-response-time <= 48 hour",
    deadline(warranty_fr, warranty_fr_24h, 24 * hour_us(), hour_us())
        AS "repair-response-time in_warranty=True <= 24 hour",
    v.* EXCLUDE (store_id, month),
    p.* EXCLUDE (store_id, month, period_rows, transactions, transactions_missing),
    -- Complaints per transaction: tickets over the store's monthly figures (no value without them).
    struct_pack(
        value := CASE WHEN p.transactions_missing = 0 AND p.transactions <> 0
                      THEN 100.0 * coalesce(k.complaints, 0) / p.transactions END,
        n := p.period_rows
    ) AS "complaint-rate"
FROM ticket_cells AS k
FULL JOIN survey_cells AS v USING (store_id, month)
FULL JOIN period_cells AS p USING (store_id, month);
