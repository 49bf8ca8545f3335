module gmon.test/corpus

go 1.21
