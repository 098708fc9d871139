import { describeMockCases } from '../mock-cases';

describeMockCases('onboard-region', __dirname);
