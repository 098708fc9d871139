import { describeMockCases } from '../mock-cases';

describeMockCases('subscribe-log-groups', __dirname);
