import { describeMockCases } from '../mock-cases';

describeMockCases('onboard-account', __dirname);
