package web_test

// planImportSeed is the appendix of plan 774/KH-UBND (Nghệ An), kept by the
// plan import package. The plan import tests are in internal/web/tasksweb;
// the browser test of importing from the plan page still reads it here
// (TODO(split): it moves with the plans pages).
const planImportSeed = "../plans/planimport/testdata/plan_774_nghe_an.txt"
