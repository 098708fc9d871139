import { describeMockCases } from '../mock-cases';

describeMockCases('backfill-region', __dirname);
