package dashboard

import (
	"context"
	stdsql "database/sql"
	"time"
)

var ExperimentDB *stdsql.DB

func (q query) experimentVisitors(ctx context.Context) (visitorCounts, error) {
	out := visitorCounts{byDay: map[int]int{}}
	rows, err := ExperimentDB.QueryContext(ctx, `SELECT kind, day, sum(visitors), sum(CASE WHEN prev_day < $2 THEN visitors ELSE 0 END)
			FROM bench_daily_visitors WHERE organization_id = $1 AND day BETWEEN $2 AND $3 GROUP BY kind, day`,
		q.org.ID, q.cal.utcDays[0], q.cal.utcDays[len(q.cal.days)-1])
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var day time.Time
		var n, first int
		if err := rows.Scan(&kind, &day, &n, &first); err != nil {
			return out, err
		}
		if kind == "VISIT" {
			out.total += first
			out.byDay[int(day.Sub(q.cal.utcDays[0]).Hours()/24)] = n
		} else {
			out.converting += first
		}
	}
	return out, rows.Err()
}
