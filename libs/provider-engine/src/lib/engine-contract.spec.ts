import { describeRecommenderProviderContract } from '@encore/recommender-port/testing';
import { engineContractFixture } from '../testing';

describeRecommenderProviderContract('engine', engineContractFixture);
