// Learning Locker's statement validator (@learninglocker/xapi-validation), timed the way bench_validator times ours:
// parse + validate of the same statement text, statements per second, best of 7 rounds (as many as bench_validator
// takes of ours). Usage: node rate.js SECONDS FILE... ; prints one line per file: "<rate> <file>".
'use strict';
const fs = require('fs');
const validate = require('@learninglocker/xapi-validation').default;

const seconds = Number(process.argv[2] || 3);
for (const file of process.argv.slice(3)) {
    const text = fs.readFileSync(file, 'utf8');
    if (validate(JSON.parse(text)).length !== 0) {
        console.error(`${file}: Learning Locker finds it invalid`);
        process.exit(3);
    }
    let best = 0;
    for (let round = 0; round < 7; ++round) {
        const start = process.hrtime.bigint();
        let count = 0;
        let sink = 0;
        while (Number(process.hrtime.bigint() - start) < (seconds * 1e9) / 7) {
            for (let i = 0; i < 200; ++i)
                sink += validate(JSON.parse(text)).length;
            count += 200;
        }
        const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
        best = Math.max(best, count / elapsed);
        if (sink !== 0)
            process.exit(4);
    }
    console.log(`${Math.round(best)} ${file}`);
}
