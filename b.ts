import { benchOrganization } from '/work/main/bench/organization.bench';
(async () => { const t = Date.now(); console.log(await benchOrganization()); console.log('wall', (Date.now() - t) / 1000); })();
