// pm2 process file. `pm2 start ecosystem.config.js --only miner` (or validator).
// The miner and validator entries are filled in by their apps (see README).
module.exports = { apps: [] };
