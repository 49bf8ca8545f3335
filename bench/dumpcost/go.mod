module gmon.bench/dumpcost

go 1.19
