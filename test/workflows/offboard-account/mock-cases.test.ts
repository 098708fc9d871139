import { describeMockCases } from '../mock-cases';

describeMockCases('offboard-account', __dirname);
