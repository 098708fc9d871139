import { describeMockCases } from '../mock-cases';

describeMockCases('subscribe-log-group', __dirname);
