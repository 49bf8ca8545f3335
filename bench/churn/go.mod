module gmon.bench/churn

go 1.19
