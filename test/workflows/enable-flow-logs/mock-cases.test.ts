import { describeMockCases } from '../mock-cases';

describeMockCases('enable-flow-logs', __dirname);
